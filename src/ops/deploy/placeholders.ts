import { PLACEHOLDER } from '../../config/keys/deploy.js';

/**
 * Fills `{name}`-style placeholders. The configuration schema has already rejected unknown ones;
 * one missing from `values` here is a programming error, so it throws rather than leaving the
 * braces in a command line.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for placeholder ${whole} in '${text}'`);
    return value;
  });
}
