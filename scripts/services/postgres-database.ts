/** A fresh, empty database on a PostgreSQL cluster (given by the URL of any database on it); its URL. */
import { randomBytes } from 'node:crypto';

export async function createDatabase(clusterUrl: string): Promise<string> {
  const { default: pg } = await import('pg');
  // Random, lower-case and unquoted-safe: each test server gets a database nobody else touches.
  const name = `meekijk_${randomBytes(8).toString('hex')}`;
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
