/** Environment variable names whose values are treated as secrets. */
const SECRET_NAME = /(_KEY|_TOKEN|_SECRET|PASSWORD)$/i;
const MIN_SECRET_LENGTH = 8;
export const MASK = '***';

/** Secret values found in an environment: variables named *_KEY, *_TOKEN, *_SECRET, *PASSWORD. */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value!);
}

/** Replaces secret values by `***` in everything written or printed. */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string | undefined>) {
    const unique = new Set<string>();
    for (const secret of secrets) if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) unique.add(secret);
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(MASK);
    return result;
  }

  /** Longest secret, so a stream redactor knows how much text to hold back between chunks. */
  get longest(): number {
    return this.secrets[0]?.length ?? 0;
  }
}
