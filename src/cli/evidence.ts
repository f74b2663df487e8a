// `palisade evidence add|verify` and `palisade dossier export|verify`: capture a file as evidence
// through the same service the HTTP route uses, and check files and dossiers offline with only the
// node's public key.
import { createReadStream, readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { migrate } from '../db/migrations.js';
import { connectDatabase } from '../main.js';
import { KeyRing } from '../federation/key-ring.js';
import { createLogger } from '../server/logger.js';
import { readArchive } from '../evidence/archive.js';
import { parseCaptureMetadata } from '../evidence/capture-metadata.js';
import { keepForVerify, verifyDossierEntries } from '../evidence/dossier-manifest.js';
import { createEvidenceDomain, type EvidenceDomain } from '../evidence/domain.js';
import { checkFilename } from '../evidence/filename.js';
import { FileTooLargeError, stageFile } from '../evidence/staging.js';
import { checkFileAgainstStatement } from '../evidence/statement.js';
import { parseTlp } from '../evidence/tlp.js';

/** A usage or input problem: printed without a stack, exit code 2. */
export class EvidenceCliError extends Error {
  override name = 'EvidenceCliError';
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EvidenceCliError(
      `Cannot read ${what} ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

async function withDomain<T>(cfg: Config, fn: (d: EvidenceDomain) => Promise<T>): Promise<T> {
  const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel);
  const { db, cypher, managed } = await connectDatabase(cfg, logger);
  try {
    await migrate({ db, cypher, logger });
    const keys = await KeyRing.open({
      path: cfg.federation.keyFile,
      create: cfg.federation.createKeysOnStart,
    });
    return await fn(createEvidenceDomain({ config: cfg, db, logger, keys }));
  } finally {
    await db.close();
    await managed?.stop();
  }
}

const actor = (given?: string) => given ?? `cli:${userInfo().username}`;

export function registerEvidenceCommands(program: Command, config: () => Config): void {
  const evidence = program.command('evidence').description('evidence files, signed statements');
  evidence
    .command('add')
    .description('store a file as evidence for a listing, seller, shipment or case')
    .argument('<file>', 'the file')
    .requiredOption('--for <id>', 'global id of the record the file proves')
    .option('--source-url <url>', 'where the file was captured')
    .option('--tlp <marking>', 'CLEAR, GREEN, AMBER, AMBER+STRICT or RED')
    .option('--captured-at <iso>', 'when it was captured (default: now)')
    .option('--title <text>')
    .option('--description <text>')
    .option('--evidence-id <id>', 'the evidence record key (default: sha256-<hash>)')
    .option('--actor <name>', 'who captured it (default: cli:<user>)')
    .action(async (file: string, o: Record<string, string | undefined>) => {
      const cfg = config();
      const name = checkFilename(basename(file));
      if (!name.ok) throw new EvidenceCliError(`Refused file name: ${name.reason}`);
      const meta = parseCaptureMetadata({
        for: o['for'],
        sourceUrl: o['sourceUrl'],
        tlp: o['tlp'],
        capturedAt: o['capturedAt'],
        title: o['title'],
        description: o['description'],
        evidenceId: o['evidenceId'],
      });
      if (!meta.ok) throw new EvidenceCliError(meta.message);
      await withDomain(cfg, async (d) => {
        let staged;
        try {
          staged = await stageFile(createReadStream(file), d.stagingDir, cfg.evidence.maxBytes);
        } catch (e) {
          if (e instanceof FileTooLargeError) throw new EvidenceCliError(e.message);
          throw e;
        }
        const result = await d.evidence.capture(
          {
            ...meta.value,
            filename: name.name,
            declaredMediaType: null,
            actor: actor(o['actor']),
            source: 'cli',
          },
          staged,
        );
        if (!result.ok) throw new EvidenceCliError(result.message);
        const e = result.evidence;
        console.log(
          JSON.stringify(
            {
              id: e['id'],
              key: e.key,
              sha256: e['sha256'],
              size: e['size'],
              mediaType: e['mediaType'],
              created: result.created,
              blobCreated: result.blobCreated,
              statement: e['statementJws'],
            },
            null,
            2,
          ),
        );
      });
    });
  evidence
    .command('verify')
    .description('check a file against its signed capture statement, offline')
    .argument('<file>', 'the file')
    .requiredOption('--statement <file>', 'the statement (compact JWS)')
    .option('--jwks <file>', "the node's public JWKS (/.well-known/jwks.json)")
    .option('--fingerprint <fp>', "with --jwks: also require the key's RFC 7638 thumbprint")
    .action(async (file: string, o: { statement: string; jwks?: string; fingerprint?: string }) => {
      if (o.jwks === undefined)
        throw new EvidenceCliError('--jwks is required: the public keys to verify with');
      const jws = readFileSync(o.statement, 'utf8').trim();
      const check = await checkFileAgainstStatement(
        createReadStream(file),
        jws,
        readJson(o.jwks, 'the JWKS'),
        o.fingerprint,
      );
      if (check.ok) {
        console.log(
          `OK ${file}: SHA-256 ${check.sha256}, ${check.size} bytes, signed by ${check.kid}`,
        );
        console.log(
          `   captured ${check.statement.capturedAt} by ${check.statement.capturedBy} on node ${check.statement.nodeId}`,
        );
      } else {
        console.log(`FAILED ${file}: ${check.problem}`);
        process.exitCode = 1;
      }
    });

  const dossier = program.command('dossier').description('signed evidence dossiers');
  dossier
    .command('export')
    .description('export a signed dossier (tar) for a case or a network')
    .option('--case <id>', 'the case')
    .option('--network <id>', 'any member of the network')
    .option('--tlp <marking>', 'leave out everything marked above this', 'AMBER')
    .requiredOption('--out <file>', 'where to write the archive')
    .option('--actor <name>', 'who exports it (default: cli:<user>)')
    .action(
      async (o: { case?: string; network?: string; tlp: string; out: string; actor?: string }) => {
        if ((o.case === undefined) === (o.network === undefined)) {
          throw new EvidenceCliError('Give exactly one of --case or --network');
        }
        const tlp = parseTlp(o.tlp);
        if (!tlp)
          throw new EvidenceCliError('--tlp must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED');
        await withDomain(config(), async (d) => {
          const r = await d.dossiers.export(
            o.case !== undefined
              ? { kind: 'case', id: o.case }
              : { kind: 'network', id: o.network! },
            tlp,
            actor(o.actor),
          );
          if (!r.ok) throw new EvidenceCliError(r.message);
          await copyFile(r.dossier.file, o.out);
          const w = r.dossier.manifest.withheld;
          console.log(
            `wrote ${o.out}: dossier ${r.dossier.id}, ${r.dossier.size} bytes, SHA-256 ${r.dossier.sha256}\n` +
              `  ${r.dossier.manifest.files.length} files; withheld above ${tlp}: ${w.evidence} evidence, ${w.entities} entities, ${w.links} links`,
          );
        });
      },
    );
  dossier
    .command('verify')
    .description('verify a dossier with the public key alone')
    .argument('<archive>', 'the dossier (.tar)')
    .option('--jwks <file>', "the node's public JWKS")
    .option(
      '--fingerprint <fp>',
      "the node's key fingerprint (RFC 7638), to pin the archive's own JWKS",
    )
    .action(async (archive: string, o: { jwks?: string; fingerprint?: string }) => {
      const entries = await readArchive(createReadStream(archive), keepForVerify);
      const verdict = await verifyDossierEntries(entries, {
        ...(o.jwks !== undefined && { jwks: readJson(o.jwks, 'the JWKS') }),
        ...(o.fingerprint !== undefined && { fingerprint: o.fingerprint }),
      });
      if (verdict.ok) {
        const m = verdict.manifest!;
        console.log(
          `OK ${archive}: dossier ${m.dossierId} from node ${m.nodeId}, ${m.createdAt}, TLP ceiling ${m.tlpCeiling}\n` +
            `  signed by ${verdict.kid}; ${verdict.checked.files} files, ${verdict.checked.statements} statements, ${verdict.checked.custodyLogs} custody logs checked`,
        );
        if (verdict.keySource === 'embedded-unpinned') {
          console.log(
            '  WARNING: verified with the JWKS inside the archive; pass --jwks or --fingerprint to check who signed it',
          );
        }
      } else {
        console.log(`FAILED ${archive}:`);
        for (const p of verdict.problems) console.log(`  - ${p}`);
        process.exitCode = 1;
      }
    });
}
