#!/usr/bin/env node
// gwcelery-condor-submit-helper CMD ARGS...: starts a deployment job on an HTCondor cluster node
// with the broker URL pointing at the submit host (read from the job's machine ad).
import { register } from 'tsx/esm/api';

register();
const { submitHelperMain } = await import('../src/ops/deploy/condor/submit-helper.ts');
process.exitCode = await submitHelperMain(process.argv.slice(2), process.env);
