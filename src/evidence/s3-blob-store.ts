// The blob store on any S3-compatible service (AWS, MinIO, Ceph, OSS/COS gateways): the same
// sha256/ab/cd/<hash> keys as the directory store, objects written once with their SHA-256 checked
// by the service (x-amz-checksum-sha256), so a corrupted upload is refused rather than stored.
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { BlobNotFoundError, blobKey, type BlobStore } from './blob-store.js';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** MinIO and most self-hosted services want path-style URLs. */
  forcePathStyle: boolean;
  /** A key prefix inside the bucket. @default '' */
  prefix?: string;
}

/** Only the client's send() is used, so tests can hand in a stub. */
export type S3Sender = Pick<S3Client, 'send'>;

export function createS3Client(o: S3StoreOptions): S3Client {
  return new S3Client({
    region: o.region,
    forcePathStyle: o.forcePathStyle,
    ...(o.endpoint !== undefined && { endpoint: o.endpoint }),
    ...(o.accessKeyId !== undefined &&
      o.secretAccessKey !== undefined && {
        credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
      }),
  });
}

const isNotFound = (e: unknown): boolean =>
  e instanceof S3ServiceException
    ? e.$metadata.httpStatusCode === 404 || e.name === 'NotFound' || e.name === 'NoSuchKey'
    : typeof e === 'object' &&
      e !== null &&
      'name' in e &&
      (e.name === 'NotFound' || e.name === 'NoSuchKey');

export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;

  constructor(
    private readonly client: S3Sender,
    private readonly options: S3StoreOptions,
  ) {}

  private key(sha256: string): string {
    return `${this.options.prefix ?? ''}${blobKey(sha256)}`;
  }

  async put(
    stagedPath: string,
    sha256: string,
    size: number,
  ): Promise<{ created: boolean; uri: string }> {
    const uri = `s3://${this.options.bucket}/${this.key(sha256)}`;
    try {
      if (await this.exists(sha256)) return { created: false, uri };
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.key(sha256),
          Body: createReadStream(stagedPath),
          ContentLength: size,
          ContentType: 'application/octet-stream',
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
        }),
      );
      return { created: true, uri };
    } finally {
      await rm(stagedPath, { force: true });
    }
  }

  async open(sha256: string): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }),
      );
      const body = out.Body;
      if (body instanceof Readable) return body;
      if (body && 'transformToByteArray' in body) {
        return Readable.from([Buffer.from(await body.transformToByteArray())]);
      }
      throw new BlobNotFoundError(sha256);
    } catch (e) {
      if (isNotFound(e)) throw new BlobNotFoundError(sha256);
      throw e;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }),
      );
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async remove(sha256: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }),
    );
  }
}
