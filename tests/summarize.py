#!/usr/bin/env python3
# Prints the suite's closing line from meson's testlog.json, counting the
# TAP subtests of each test program (a program without TAP counts as one):
#   tests: 120 passed, 0 failed, 2 skipped
import json
import re
import sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding='utf-8') as log:
    for line in log:
        test = json.loads(line)
        results = re.findall(r'^(ok|not ok)\b[^\n#]*(#\s*(SKIP|TODO))?', test.get('stdout') or '', re.M)
        if not results or test['result'] not in ('OK', 'SKIP', 'EXPECTEDFAIL'):
            # No TAP, or the program died: its own result decides, and a
            # crash after passing subtests is still a failure.
            if test['result'] in ('OK', 'EXPECTEDFAIL'):
                passed += 1
            elif test['result'] == 'SKIP':
                skipped += 1
            else:
                failed += 1
            if not results:
                continue
        for status, _, directive in results:
            if directive == 'SKIP':
                skipped += 1
            elif status == 'ok':
                passed += 1
            else:
                failed += 1

print(f'tests: {passed} passed, {failed} failed, {skipped} skipped')
sys.exit(1 if failed else 0)
