/**
 * Line diff in unified format (as `diff -u` / Python's difflib.unified_diff print it), for
 * showing operators how two versions of a document differ. Quadratic in the line counts, which
 * suits documents of a few hundred lines such as VOEvents.
 */
export function unifiedDiff(
  before: string,
  after: string,
  options: { fromFile?: string; toFile?: string; context?: number } = {},
): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffOps(a, b);
  if (ops.every((op) => op.kind === ' ')) return '';
  const context = options.context ?? 3;
  const out = [`--- ${options.fromFile ?? 'before'}`, `+++ ${options.toFile ?? 'after'}`];
  // Group changes that are within 2×context lines of each other into one hunk.
  let i = 0;
  while (i < ops.length) {
    if (ops[i].kind === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next].kind === ' ') next++;
      if (next >= ops.length || next - end > 2 * context) break;
      end = next + 1;
    }
    end = Math.min(ops.length, end + context);
    while (start < end && ops[start].kind === ' ' && start < i - context) start++;
    const hunk = ops.slice(start, end);
    const aStart = hunk.find((o) => o.kind !== '+')?.aIndex ?? ops[start].aIndex;
    const bStart = hunk.find((o) => o.kind !== '-')?.bIndex ?? ops[start].bIndex;
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
    i = end;
  }
  return `${out.join('\n')}\n`;
}

interface Op {
  kind: ' ' | '-' | '+';
  line: string;
  aIndex: number;
  bIndex: number;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function range(start: number, count: number): string {
  // Unified format counts from 1; an empty range names the line before it.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

function diffOps(a: string[], b: string[]): Op[] {
  // Longest common subsequence table, built from the ends.
  const rows = a.length + 1;
  const cols = b.length + 1;
  const lcs = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * cols + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * cols + j + 1] + 1
          : Math.max(lcs[(i + 1) * cols + j], lcs[i * cols + j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i], aIndex: i++, bIndex: j++ });
    } else if (
      j < b.length &&
      (i === a.length || lcs[i * cols + j + 1] >= lcs[(i + 1) * cols + j])
    ) {
      ops.push({ kind: '+', line: b[j], aIndex: i, bIndex: j++ });
    } else {
      ops.push({ kind: '-', line: a[i], aIndex: i++, bIndex: j });
    }
  }
  // Within a change, list removals before additions, as diff does.
  for (let k = 0; k < ops.length; ) {
    if (ops[k].kind === ' ') {
      k++;
      continue;
    }
    let end = k;
    while (end < ops.length && ops[end].kind !== ' ') end++;
    const block = ops.slice(k, end);
    ops.splice(
      k,
      end - k,
      ...block.filter((o) => o.kind === '-'),
      ...block.filter((o) => o.kind === '+'),
    );
    k = end;
  }
  return ops;
}
