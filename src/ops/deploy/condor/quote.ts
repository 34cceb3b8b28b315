/**
 * HTCondor's "new" quoting for the `arguments` and `environment` submit commands: the whole
 * value in double quotes (a literal " doubled), words separated by spaces, a word holding a
 * space or a single quote wrapped in single quotes (a literal ' doubled).
 */
function condorWord(word: string): string {
  const doubled = word.replaceAll('"', '""');
  if (word !== '' && !/[\s']/.test(word)) return doubled;
  return `'${doubled.replaceAll("'", "''")}'`;
}

/** The value of an `arguments = ...` command that gives the program exactly these arguments. */
export function condorArguments(args: readonly string[]): string {
  for (const arg of args) {
    if (/[\r\n]/.test(arg))
      throw new Error(`an HTCondor argument cannot hold a line break: ${JSON.stringify(arg)}`);
  }
  return `"${args.map(condorWord).join(' ')}"`;
}

/** The value of an `environment = ...` command setting these variables. */
export function condorEnvironment(env: Readonly<Record<string, string>>): string {
  const entries = Object.entries(env).map(([k, v]) => {
    if (/[\r\n]/.test(v))
      throw new Error(`environment variable ${k}: an HTCondor value cannot hold a line break`);
    return condorWord(`${k}=${v}`);
  });
  return `"${entries.join(' ')}"`;
}

/**
 * The job selector of every `gwcelery condor` command: this deployment is the jobs of batch
 * "gwcelery" whose initial working directory is this one, so two deployments in two directories
 * never touch each other. JSON string escapes are also ClassAd string escapes.
 */
export function deploymentConstraint(cwd: string): string {
  return `JobBatchName==${JSON.stringify('gwcelery')} && Iwd==${JSON.stringify(cwd)}`;
}
