#!/usr/bin/env python3
# Checks the Flatpak manifests in flatpak/ against what the app needs and
# no more. To build and install the development flavour:
#
#   flatpak-builder --user --install --force-clean _flatpak flatpak/io.github.streamingtoken.StreamingToken.Devel.json
#
# The sandbox gets the network (to mint tokens), the display and the GPU.
# It must not get org.freedesktop.secrets: libsecret talks to the Secret
# portal inside Flatpak, and direct keyring access would bypass it. Nor
# any --filesystem: tokens are never written to disk.
#
#   check-flatpak-manifest.py --base-id ID MANIFEST.json [MANIFEST.Devel.json…]
#
# A manifest whose file name ends in .Devel.json must use ID.Devel and the
# development profile. flatpak-builder, when installed, must parse each one.

import argparse
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
]


def check(path, base_id):
    errors = []

    def fail(message):
        errors.append('{}: {}'.format(path, message))

    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        fail('does not parse: {}'.format(e))
        return errors
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--base-id', required=True)
    parser.add_argument('manifests', nargs='+')
    args = parser.parse_args()

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
