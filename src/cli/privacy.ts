// `palisade privacy …`: rotate the association's OPRF secret, re-tokenize a brand's identifiers,
// share indicator bundles, run PSI with a partner. Also creates the OPRF secret after `palisade init`
// on an association node.
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { createFederation } from '../federation/federation.js';
import { connectDatabase } from '../main.js';
import { ensureOprfSecret, rotateOprfSecret } from '../privacy/oprf-keys.js';
import { createPrivacy, type Privacy } from '../privacy/privacy.js';
import { createLogger } from '../server/logger.js';

async function withPrivacy<T>(cfg: Config, fn: (privacy: Privacy) => Promise<T>): Promise<T> {
  const logger = createLogger('warn');
  const { db, managed } = await connectDatabase(cfg, logger);
  try {
    const federation = await createFederation({ config: cfg, db, logger });
    const privacy = createPrivacy({
      config: cfg,
      db,
      logger,
      federation,
      // The CLI serves no requests.
      principalOf: () => ({ subject: 'anonymous', role: 'anonymous' }),
    });
    try {
      return await fn(privacy);
    } finally {
      await privacy.stop();
    }
  } finally {
    await db.close();
    await managed?.stop();
  }
}

export function registerPrivacyCommands(program: Command, config: () => Config): void {
  // `palisade init` on an association also creates the OPRF secret (0600).
  program.commands
    .find((c) => c.name() === 'init')
    ?.hook('postAction', async () => {
      const cfg = config();
      if (cfg.node.role !== 'association') return;
      const created = await ensureOprfSecret(cfg.privacy.oprfSecretFile);
      console.log(
        created
          ? `OPRF secret written to ${cfg.privacy.oprfSecretFile}`
          : `OPRF secret already exists at ${cfg.privacy.oprfSecretFile}`,
      );
    });

  const privacy = program.command('privacy').description('OPRF tokens, indicators, PSI');
  privacy
    .command('rotate')
    .description(
      'association: replace the OPRF secret now (every key id changes; members re-tokenize)',
    )
    .action(async () => {
      const cfg = config();
      if (cfg.node.role !== 'association') {
        console.error('palisade: only an association holds the OPRF secret');
        process.exitCode = 2;
        return;
      }
      await ensureOprfSecret(cfg.privacy.oprfSecretFile);
      const generation = await rotateOprfSecret(cfg.privacy.oprfSecretFile);
      console.log(`OPRF secret rotated (generation ${generation}); members should re-tokenize`);
    });
  privacy
    .command('retokenize')
    .description("brand: tokenize every identifier under the association's current key")
    .action(async () => {
      const r = await withPrivacy(config(), (p) => p.retokenize());
      console.log(`key ${r.keyId}: ${r.tokenized} tokenized, ${r.dropped} old tokens dropped`);
    });
  privacy
    .command('share')
    .description('queue an indicator bundle to peers (default: every active peer)')
    .option('--peer <id...>', 'only these peers')
    .action(async (opts: { peer?: string[] }) => {
      const r = await withPrivacy(config(), (p) =>
        p.share(opts.peer ? { peerIds: opts.peer } : {}),
      );
      console.log(
        `key ${r.keyId}: ${r.items} items in ${r.messages} messages to ${r.peers.length} peers`,
      );
    });
  privacy
    .command('psi <peer>')
    .description('private set intersection with a partner brand (both learn set sizes)')
    .option('--kinds <kinds>', 'identifier kinds, comma-separated', 'phone,email,paymentAccount')
    .action(async (peer: string, opts: { kinds: string }) => {
      const r = await withPrivacy(config(), (p) => p.psi(peer, opts.kinds.split(',')));
      console.log(`ours ${r.ourSize}, theirs ${r.theirSize}, shared ${r.shared.length}`);
      for (const s of r.shared) console.log(`${s.kind}\t${s.key}`);
    });
}
