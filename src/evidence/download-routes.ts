// GET /evidence/:id/content (the stored file; each download is a VIEW in its custody chain) and
// GET /dossiers/:id (an exported archive). Staff who handle evidence only: admin and analyst.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Principal } from '../server/context.js';
import { AppError, NotFoundError } from '../server/errors.js';
import type { Logger } from '../server/logger.js';
import { refusalResponse } from '../server/refusal.js';
import type { Route } from '../server/routes.js';
import type { DossierService } from './dossier.js';
import { uidOfGlobalId, type EvidenceService } from './evidence-service.js';
import { assertEvidenceWriter } from './upload-route.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function evidenceDownloadRoutes(deps: {
  evidence: EvidenceService;
  dossiers: DossierService;
  principalOf: (request: Request) => Principal;
  logger: Logger;
}): Route[] {
  const guard = async (request: Request, fn: (p: Principal) => Promise<Response>) => {
    try {
      const principal = deps.principalOf(request);
      assertEvidenceWriter(principal);
      return await fn(principal);
    } catch (e) {
      if (e instanceof AppError) return refusalResponse(e);
      deps.logger.error({ err: e }, 'evidence download failed');
      return new Response('Unexpected error', { status: 500 });
    }
  };
  return [
    {
      method: 'GET',
      path: /^\/evidence\/(?<id>[A-Za-z0-9_-]{1,4096})\/content$/,
      handle: (request, params) =>
        guard(request, async (principal) => {
          let uid: string;
          try {
            uid = uidOfGlobalId(params['id'] ?? '');
          } catch {
            throw new NotFoundError('No such evidence');
          }
          const record = uid.startsWith('Evidence:') ? await deps.evidence.get(uid) : null;
          if (!record || typeof record['sha256'] !== 'string')
            throw new NotFoundError('No such evidence file');
          const stream = await deps.evidence.open(record);
          await deps.evidence.recordCustody(uid, 'VIEW', principal.subject, { what: 'file' });
          return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
            headers: {
              // Served as bytes, never rendered: a saved page must not run in the node's origin.
              'content-type': 'application/octet-stream',
              'content-disposition': `attachment; filename="${String(record['sha256'])}"`,
              'x-content-type-options': 'nosniff',
              'x-evidence-sha256': String(record['sha256']),
            },
          });
        }),
    },
    {
      method: 'GET',
      path: /^\/dossiers\/(?<id>[0-9a-f-]{36})$/,
      handle: (request, params) =>
        guard(request, async () => {
          const id = params['id'] ?? '';
          const dossier = UUID.test(id) ? await deps.dossiers.get(id) : null;
          if (!dossier) throw new NotFoundError('No such dossier');
          return new Response(
            Readable.toWeb(createReadStream(dossier.file)) as ReadableStream<Uint8Array>,
            {
              headers: {
                'content-type': 'application/x-tar',
                'content-length': String(dossier.size),
                'content-disposition': `attachment; filename="dossier-${id}.tar"`,
                'x-dossier-sha256': dossier.sha256,
              },
            },
          );
        }),
    },
  ];
}
