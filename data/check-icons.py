#!/usr/bin/env python3
# Checks the application icons: each parses as SVG and is recognised as
# one from its first bytes, the full-colour one is drawn on the 128 px
# canvas, and the symbolic one on 16 px with only #2e3436 fills (GTK
# recolours symbolic icons by fill; a stroke or another colour would stay
# dark on a dark theme).
#
#   check-icons.py APP.svg APP-symbolic.svg

import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
# shared-mime-info knows an SVG by "<svg" (or "<!DOCTYPE svg") starting
# within its first 256 bytes. Further in, GIO calls the file
# application/xml, gdk-pixbuf finds no loader for that, and GTK and the
# shell draw a broken icon in its place.
SNIFF_BYTES = 256
SYMBOLIC_COLOURS = {'#2e3436', 'none'}
PAINT_ATTRS = ('fill', 'stroke')


def paints(element):
    """Yields (property, value) for fill and stroke, attributes and style."""
    for attr in PAINT_ATTRS:
        if attr in element.attrib:
            yield attr, element.attrib[attr].strip().lower()
    for decl in element.attrib.get('style', '').split(';'):
        name, _, value = decl.partition(':')
        if name.strip() in PAINT_ATTRS:
            yield name.strip(), value.strip().lower()


def check(path, size, symbolic):
    errors = []
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        return ['{}: {}'.format(path, e)]

    if root.tag != SVG + 'svg':
        return ['{}: the root element is {}, not an SVG <svg>'.format(path, root.tag)]

    with open(path, 'rb') as f:
        head = f.read(SNIFF_BYTES + len(b'<svg'))
    if b'<svg' not in head and b'<!DOCTYPE svg' not in head:
        errors.append('{}: <svg> starts after byte {}, so it is not recognised as SVG: '
                      'put comments inside it'.format(path, SNIFF_BYTES))

    for attr in ('width', 'height'):
        value = re.sub(r'px$', '', root.get(attr, ''))
        if value != str(size):
            errors.append('{}: {} is "{}", expected {}'.format(path, attr, root.get(attr), size))
    if root.get('viewBox', '').split() != ['0', '0', str(size), str(size)]:
        errors.append('{}: viewBox is "{}", expected "0 0 {} {}"'.format(
            path, root.get('viewBox'), size, size))

    drawn = [e for e in root.iter()
             if e.tag in {SVG + t for t in ('path', 'rect', 'circle', 'ellipse', 'polygon')}]
    if not drawn:
        errors.append('{}: draws nothing'.format(path))

    if symbolic:
        for element in root.iter():
            for prop, value in paints(element):
                if prop == 'stroke' and value != 'none':
                    errors.append('{}: <{}> has a stroke; symbolic icons use fills only'.format(
                        path, element.tag.replace(SVG, '')))
                elif prop == 'fill' and value not in SYMBOLIC_COLOURS:
                    errors.append('{}: <{}> is filled with {}, not #2e3436'.format(
                        path, element.tag.replace(SVG, ''), value))
            if element.tag in (SVG + 'linearGradient', SVG + 'radialGradient', SVG + 'image'):
                errors.append('{}: <{}> in a symbolic icon'.format(
                    path, element.tag.replace(SVG, '')))

    return errors


def main(argv):
    if len(argv) != 3:
        print('usage: check-icons.py APP.svg APP-symbolic.svg', file=sys.stderr)
        return 2
    errors = check(argv[1], 128, False) + check(argv[2], 16, True)
    for error in errors:
        print(error, file=sys.stderr)
    if not errors:
        print('ok: {} (128 px), {} (16 px, symbolic)'.format(argv[1], argv[2]))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
