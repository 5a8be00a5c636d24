// Gives s3rver's filesystem store the overwrite semantics of real S3: a GET sees either the whole old
// object or the whole new one, never a mix.
//
// s3rver 3.7.1 rewrites an object IN PLACE (truncate, stream, then rewrite the .md5 and metadata files).
// A GET racing an overwrite can then read new bytes with the old MD5 (the AWS SDK fails it with
// "Expected hash not equal"), or an empty .md5 file (the SDK cannot parse the ETag), and a client killed
// mid-upload leaves a truncated object with the old MD5 for good. Stele's crash tests do exactly that.
//
// Here an upload is written to a staging file outside the buckets first; only when it is complete are
// the md5, metadata and object files renamed into place, under a per-key lock that GET/HEAD and DELETE
// also take. A reader holds an open descriptor on the old file, so a rename after it opened cannot
// change what it streams.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const fsp = require('fs/promises');
const path = require('path');
const { Transform } = require('stream');
const { pipeline } = require('stream/promises');
const FilesystemStore = require('s3rver/lib/stores/filesystem');
const S3Object = require('s3rver/lib/models/object');

const keyLocks = new Map();

/** Runs fn while holding the lock for id; callers queue in arrival order. */
async function withKeyLock(id, fn) {
  const previous = keyLocks.get(id) || Promise.resolve();
  let release;
  const mine = new Promise(resolve => (release = resolve));
  const tail = previous.then(() => mine);
  keyLocks.set(id, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (keyLocks.get(id) === tail) keyLocks.delete(id);
  }
}

/** What s3rver keeps of an upload's metadata (its putMetadata keeps the same subset). */
function storedMetadata(metadata) {
  const kept = {};
  for (const [name, value] of Object.entries(metadata || {})) {
    if (S3Object.ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-')) kept[name] = value;
  }
  return kept;
}

/**
 * Renames from into place, creating to's directory as needed: s3rver's DELETE removes directories it
 * empties, possibly between our mkdir and rename for another key in the same directory.
 */
async function renameInto(from, to) {
  for (let attempt = 0; ; attempt++) {
    await fsp.mkdir(path.dirname(to), { recursive: true });
    try {
      return await fsp.rename(from, to);
    } catch (err) {
      if (err.code !== 'ENOENT' || attempt >= 3) throw err;
    }
  }
}

/** Installs the atomic store; stagingDirectory must be on the same filesystem as the buckets. */
function installAtomicStore(stagingDirectory) {
  fs.mkdirSync(stagingDirectory, { recursive: true });
  const originalGetObject = FilesystemStore.prototype.getObject;
  const originalDeleteObject = FilesystemStore.prototype.deleteObject;

  FilesystemStore.prototype.putObject = async function putObject(object) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    const staged = path.join(stagingDirectory, crypto.randomBytes(12).toString('hex'));
    const md5 = crypto.createHash('md5');
    let size = 0;
    try {
      if (Buffer.isBuffer(object.content)) {
        md5.update(object.content);
        size = object.content.length;
        await fsp.writeFile(staged, object.content);
      } else {
        const counter = new Transform({
          transform(chunk, encoding, callback) {
            md5.update(chunk, encoding);
            size += chunk.length;
            callback(null, chunk);
          },
        });
        await pipeline(object.content, counter, fs.createWriteStream(staged));
      }
      const digest = md5.digest('hex');
      await fsp.writeFile(`${staged}.md5`, digest);
      await fsp.writeFile(`${staged}.json`, JSON.stringify(storedMetadata(object.metadata), null, 2));
      await withKeyLock(`${object.bucket}/${object.key}`, async () => {
        await renameInto(`${staged}.md5`, `${objectPath}.md5`);
        await renameInto(`${staged}.json`, this.getResourcePath(object.bucket, object.key, 'metadata.json'));
        await renameInto(staged, objectPath);
      });
      return { size, md5: digest };
    } finally {
      await Promise.all([staged, `${staged}.md5`, `${staged}.json`].map(file => fsp.rm(file, { force: true })));
    }
  };

  // The original resolves once the object's file is open, so its stream stays on the file it read the
  // metadata for even if a rename replaces it right after the lock is released.
  FilesystemStore.prototype.getObject = function getObject(bucket, key, options) {
    return withKeyLock(`${bucket}/${key}`, () => originalGetObject.call(this, bucket, key, options));
  };

  FilesystemStore.prototype.deleteObject = function deleteObject(bucket, key) {
    return withKeyLock(`${bucket}/${key}`, () => originalDeleteObject.call(this, bucket, key));
  };
}

module.exports = { installAtomicStore };
