import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../fixtures/deploy/', import.meta.url));

/** Appends the program name and its arguments, tab-separated, to calls.log. */
const RECORD = `{ printf '%s' "$(basename "$0")"; for a in "$@"; do printf '\\t%s' "$a"; done; printf '\\n'; } >> "$CONDOR_STUB_DIR/calls.log"
f="$CONDOR_STUB_DIR/fail-$(basename "$0")"
if [ -f "$f" ]; then
  status=$(cat "$f"); rm -f "$f"
  echo "ERROR: $(basename "$0") stand-in told to fail" >&2
  exit "$status"
fi`;

const SCRIPTS: Record<string, string> = {
  // jobs-left holds how many more `condor_q -xml` calls report jobs (-1: every call).
  condor_q: `${RECORD}
if [ "$1" = "-xml" ]; then
  n=$(cat "$CONDOR_STUB_DIR/jobs-left" 2>/dev/null || echo 0)
  if [ "$n" = "0" ]; then cat "${FIXTURES}condor_q-empty.xml"; exit 0; fi
  if [ "$n" -gt 0 ]; then echo $((n - 1)) > "$CONDOR_STUB_DIR/jobs-left"; fi
  cat "${FIXTURES}condor_q-jobs.xml"
else
  cat "${FIXTURES}condor_q-nobatch.txt"
fi`,
  condor_submit: `${RECORD}
# What HTCondor would read: the submit description named last, relative to our working directory.
for last in "$@"; do :; done
cp "$last" "$CONDOR_STUB_DIR/submitted.sub" || exit 1
echo "Submitting job(s)........................."
echo "25 job(s) submitted to cluster 4243."`,
  condor_rm: `${RECORD}\necho "All jobs matching constraint have been marked for removal"`,
  condor_hold: `${RECORD}\necho "All jobs matching constraint have been held"`,
  condor_release: `${RECORD}\necho "All jobs matching constraint have been released"`,
};

/**
 * HTCondor cannot be installed here: recording stand-ins for its commands, put first on PATH,
 * print what the real ones print and log every command line they get.
 */
export class CondorStubs {
  readonly dir = mkdtempSync(join(tmpdir(), 'gwt-condor-'));

  constructor() {
    for (const [name, body] of Object.entries(SCRIPTS)) {
      const path = join(this.dir, name);
      writeFileSync(path, `#!/bin/sh\n${body}\n`);
      chmodSync(path, 0o755);
    }
  }

  env(): Record<string, string> {
    return { PATH: `${this.dir}:${process.env.PATH}`, CONDOR_STUB_DIR: this.dir };
  }

  /** Each call as [program, ...args]; clears the log. */
  takeCalls(): string[][] {
    const path = join(this.dir, 'calls.log');
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return [];
    }
    rmSync(path);
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
  }

  /** How many more `condor_q -xml` calls see running jobs ('always' for ever). */
  jobsFor(calls: number | 'always'): void {
    writeFileSync(join(this.dir, 'jobs-left'), String(calls === 'always' ? -1 : calls));
  }

  /** The next call of `program` fails with this exit status. */
  failNext(program: string, status: number): void {
    writeFileSync(join(this.dir, `fail-${program}`), String(status));
  }

  submitted(): string {
    return readFileSync(join(this.dir, 'submitted.sub'), 'utf8');
  }

  destroy(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
