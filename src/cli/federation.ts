// `palisade init`, `keys rotate`, `peer …` and `audit verify`: the admin's federation commands.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { AuditLog } from '../federation/audit-log.js';
import {
  fingerprint,
  readKeyFile,
  rotateKeys,
  writeKeyFile,
  createKeyFile,
} from '../federation/keys.js';
import { PeerStore, PEER_STATUSES, type PeerStatus } from '../federation/peer-store.js';
import { PeerService, type PeerResult } from '../federation/peers.js';
import { rotationStatementPath } from '../federation/well-known.js';
import { connectDatabase } from '../main.js';
import { createLogger } from '../server/logger.js';

async function withDb<T>(cfg: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const { db, managed } = await connectDatabase(cfg, createLogger('warn'));
  try {
    return await fn(db);
  } finally {
    await db.close();
    await managed?.stop();
  }
}

function service(cfg: Config, db: Database): PeerService {
  return new PeerService(db, new PeerStore(db), new AuditLog(db), {
    id: cfg.node.id,
    requireHttps: cfg.federation.requireHttps,
  });
}

function report(r: PeerResult): void {
  if (r.ok) {
    console.log(`${r.peer.id}\t${r.peer.role}\t${r.peer.status}\t${r.peer.fingerprint}`);
  } else {
    console.error(`palisade: ${r.error.code}: ${r.error.message}`);
    process.exitCode = 1;
  }
}

export function registerFederationCommands(program: Command, config: () => Config): void {
  program
    .command('init')
    .description("create this node's signing and encryption keys (refuses to overwrite)")
    .action(async () => {
      const cfg = config();
      await mkdir(dirname(cfg.federation.keyFile), { recursive: true, mode: 0o700 });
      const file = await createKeyFile();
      await writeKeyFile(cfg.federation.keyFile, file);
      console.log(`node keys written to ${cfg.federation.keyFile}`);
      console.log(
        `fingerprint (give it to peers out of band): ${await fingerprint(file.current.signing)}`,
      );
    });

  const keys = program.command('keys').description("this node's keys");
  keys
    .command('fingerprint')
    .description('print the signing key fingerprint peers pin')
    .action(async () => {
      const file = await readKeyFile(config().federation.keyFile);
      console.log(await fingerprint(file.current.signing));
    });
  keys
    .command('rotate')
    .description('new keys, old ones valid for the overlap, statement signed old → new published')
    .option('--overlap <seconds>', 'how long the old keys stay valid')
    .action(async (opts: { overlap?: string }) => {
      const cfg = config();
      const overlapSeconds =
        opts.overlap !== undefined ? Number(opts.overlap) : cfg.federation.rotationOverlapSeconds;
      const current = await readKeyFile(cfg.federation.keyFile);
      const { keyFile, statement } = await rotateKeys(current, {
        nodeId: cfg.node.id,
        overlapSeconds,
      });
      // Statement first: peers can fetch it as soon as the new keys are in use.
      await writeFile(rotationStatementPath(cfg.federation.keyFile), JSON.stringify(statement), {
        mode: 0o644,
      });
      await writeKeyFile(cfg.federation.keyFile, keyFile, { overwrite: true });
      console.log(`rotated; new fingerprint ${await fingerprint(keyFile.current.signing)}`);
    });

  const peer = program.command('peer').description('the peer registry');
  peer
    .command('add <url>')
    .description('pin a peer: its signing key must match the fingerprint read out of band')
    .requiredOption('--fingerprint <fp>', 'the peer signing key thumbprint')
    .requiredOption('--role <role>', 'partner or association')
    .action(async (url: string, opts: { fingerprint: string; role: string }) => {
      if (opts.role !== 'partner' && opts.role !== 'association') {
        console.error('palisade: --role must be partner or association');
        process.exitCode = 2;
        return;
      }
      const cfg = config();
      const role = opts.role;
      report(
        await withDb(cfg, (db) =>
          service(cfg, db).add({ url, fingerprint: opts.fingerprint, role }),
        ),
      );
    });
  peer
    .command('list')
    .description('list peers')
    .option('--status <status>', PEER_STATUSES.join(', '))
    .action(async (opts: { status?: string }) => {
      const cfg = config();
      const { peers } = await withDb(cfg, (db) =>
        new PeerStore(db).list({
          status: (opts.status ?? null) as PeerStatus | null,
          limit: 500,
          offset: 0,
        }),
      );
      for (const p of peers)
        console.log(`${p.id}\t${p.role}\t${p.status}\t${p.baseUrl}\t${p.fingerprint}`);
    });
  for (const [name, status] of [
    ['suspend', 'suspended'],
    ['revoke', 'revoked'],
    ['reinstate', 'active'],
  ] as const) {
    peer
      .command(`${name} <id>`)
      .description(`${name} a peer (takes effect for the next message)`)
      .action(async (id: string) => {
        const cfg = config();
        report(await withDb(cfg, (db) => service(cfg, db).setStatus(id, status)));
      });
  }
  peer
    .command('refresh-keys <id>')
    .description("follow the peer's key rotation if its pinned key signed it")
    .action(async (id: string) => {
      const cfg = config();
      report(await withDb(cfg, (db) => service(cfg, db).refreshKeys(id)));
    });

  program
    .command('audit')
    .description('the federation audit log')
    .command('verify')
    .description('verify the hash chain; exits 1 on an edited or deleted entry')
    .action(async () => {
      const cfg = config();
      const v = await withDb(cfg, (db) => new AuditLog(db).verify());
      if (v.ok) {
        console.log(`audit log intact: ${v.entries} entries`);
      } else {
        console.error(`audit log BROKEN at seq ${v.seq}: ${v.problem} (${v.entries} entries read)`);
        process.exitCode = 1;
      }
    });
}
