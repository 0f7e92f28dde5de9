/** Passwords: argon2id (memory-hard, issue 4). Cost comes from config; verification reads it from the hash. */
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';

export async function hashPassword(password: string, cost: Config['passwordHash']): Promise<string> {
  // @node-rs/argon2 defaults to argon2id; the stored PHC string says so ("$argon2id$").
  return hash(password, { memoryCost: cost.memoryKib, timeCost: cost.timeCost, parallelism: 1 });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A generated password: 18 random bytes, base64url (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
