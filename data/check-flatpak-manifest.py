#!/usr/bin/env python3
# Checks the Flatpak manifests in flatpak/ against what the app needs and
# no more. To build and install the development flavour:
#
#   flatpak-builder --user --install --force-clean _flatpak flatpak/io.github.streamingtoken.StreamingToken.Devel.json
#
# The sandbox gets the network (to mint tokens and stream), the display,
# the GPU and the sound server, for the microphone: there is no portal for
# audio capture on the GNOME runtime, and PipeWire serves the PulseAudio
# socket too. It must not get org.freedesktop.secrets: libsecret talks to
# the Secret portal inside Flatpak, and direct keyring access would bypass
# it. Nor any --filesystem: tokens are never written to disk, and audio
# files come in through the file chooser portal or, opened with the app,
# the document portal.
#
#   check-flatpak-manifest.py --base-id ID MANIFEST.json [MANIFEST.Devel.json…]
#   check-flatpak-manifest.py --self-test --base-id ID MANIFEST.json
#
# A manifest whose file name ends in .Devel.json must use ID.Devel and the
# development profile. flatpak-builder, when installed, must parse each one.
# --self-test checks the checker: each way of getting the permissions wrong
# is applied to a copy of MANIFEST and must be caught.

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys

COMMAND = 'streaming-token'
RUNTIME = 'org.gnome.Platform'
SDK = 'org.gnome.Sdk'
FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=fallback-x11',
    '--socket=wayland',
    '--device=dri',
    '--socket=pulseaudio',
]


def check(path, base_id):
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        return ['{}: does not parse: {}'.format(path, e)]
    return check_manifest(path, manifest, base_id)


def check_manifest(path, manifest, base_id):
    errors = []

    def fail(message):
        errors.append('{}: {}'.format(path, message))

    if not isinstance(manifest, dict):
        fail('the top level is not an object')
        return errors

    devel = path.endswith('.Devel.json')
    app_id = manifest.get('id', manifest.get('app-id'))
    expected_id = base_id + '.Devel' if devel else base_id
    if app_id != expected_id:
        fail('id is {!r}, expected {!r}'.format(app_id, expected_id))
    if os.path.basename(path) != expected_id + '.json':
        fail('file name does not match the id {!r}'.format(expected_id))

    if manifest.get('command') != COMMAND:
        fail('command is {!r}, expected {!r}'.format(manifest.get('command'), COMMAND))
    if manifest.get('runtime') != RUNTIME or manifest.get('sdk') != SDK:
        fail('runtime and sdk must be {} and {}'.format(RUNTIME, SDK))
    if not isinstance(manifest.get('runtime-version'), str):
        fail('runtime-version must be a string, such as "47"')

    finish_args = manifest.get('finish-args', [])
    for arg in finish_args:
        if arg.startswith('--talk-name=org.freedesktop.secrets'):
            fail('{}: libsecret goes through the Secret portal in the sandbox'.format(arg))
        elif arg.startswith('--filesystem='):
            fail('{}: the app writes no files outside its sandbox'.format(arg))
        elif arg not in FINISH_ARGS:
            fail('{}: not one of the permissions the app needs'.format(arg))
    for arg in FINISH_ARGS:
        if arg not in finish_args:
            fail('finish-args lacks {}'.format(arg))
    if len(finish_args) != len(set(finish_args)):
        fail('finish-args has duplicates')

    modules = manifest.get('modules', [])
    app_module = modules[-1] if modules and isinstance(modules[-1], dict) else None
    if app_module is None:
        fail('the last module must be the app itself')
    else:
        if app_module.get('buildsystem') != 'meson':
            fail('the app module must build with meson')
        sources = app_module.get('sources', [])
        if not any(isinstance(s, dict) and s.get('type') == 'dir' and s.get('path') == '..'
                   for s in sources):
            fail('the app module must build this checkout (a dir source with path "..")')
        opts = app_module.get('config-opts', [])
        if '-Dtests=false' not in opts:
            fail('the app module must configure with -Dtests=false')
        if devel and '-Dprofile=development' not in opts:
            fail('the .Devel manifest must configure with -Dprofile=development')
        if not devel and any(o.startswith('-Dprofile=') and o != '-Dprofile=default' for o in opts):
            fail('only the .Devel manifest may use another profile')

    return errors


def show_manifest(path):
    """flatpak-builder's own parse, which knows every key and type."""
    builder = shutil.which('flatpak-builder')
    if builder is None:
        print('# flatpak-builder not installed: skipping --show-manifest for {}'.format(path))
        return []
    result = subprocess.run([builder, '--show-manifest', path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=30, check=False)
    if result.returncode != 0:
        return ['{}: flatpak-builder --show-manifest failed: {}'.format(
            path, result.stderr.strip())]
    try:
        json.loads(result.stdout)
    except ValueError as e:
        return ['{}: flatpak-builder --show-manifest printed no JSON: {}'.format(path, e)]
    return []


# Ways to get the sandbox's permissions wrong, each of which must fail.
MISTAKES = {
    'no microphone': lambda args: [a for a in args if a != '--socket=pulseaudio'],
    'the whole of /dev': lambda args: args + ['--device=all'],
    'the home directory': lambda args: args + ['--filesystem=home'],
    'the music folder': lambda args: args + ['--filesystem=xdg-music:ro'],
    'the keyring directly': lambda args: args + ['--talk-name=org.freedesktop.secrets'],
    'the PulseAudio socket twice': lambda args: args + ['--socket=pulseaudio'],
}


def self_test(path, base_id):
    """Each mistake, applied to a copy of the manifest at @path, is caught."""
    with open(path, encoding='utf-8') as f:
        manifest = json.load(f)
    errors = check_manifest(path, manifest, base_id)
    if errors:
        return ['the manifest itself fails: ' + e for e in errors]
    for name, mistake in MISTAKES.items():
        wrong = copy.deepcopy(manifest)
        wrong['finish-args'] = mistake(list(manifest.get('finish-args', [])))
        if not check_manifest(path, wrong, base_id):
            errors.append('{}: a manifest with {} passes'.format(path, name))
        else:
            print('ok: {} is caught'.format(name))
    return errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--base-id', required=True)
    parser.add_argument('--self-test', action='store_true')
    parser.add_argument('manifests', nargs='+')
    args = parser.parse_args()

    if args.self_test:
        errors = []
        for path in args.manifests:
            errors += self_test(path, args.base_id)
        for error in errors:
            print(error, file=sys.stderr)
        return 1 if errors else 0

    errors = []
    for path in args.manifests:
        errors += check(path, args.base_id)
        if not errors:
            errors += show_manifest(path)
        if not errors:
            print('ok: {}'.format(path))

    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
