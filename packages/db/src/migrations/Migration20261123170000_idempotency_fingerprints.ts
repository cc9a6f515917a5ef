import { Migration } from '@mikro-orm/migrations';

/**
 * What each Idempotency-Key was first used for (a SHA-256 of the request, runtime requestFingerprint), so a replay of
 * a different request is refused instead of answered with the first one; and an index for pruning expired keys.
 */
export class Migration20261123170000_idempotency_fingerprints extends Migration {
  override name = 'Migration20261123170000_idempotency_fingerprints';

  override up(): void {
    this.addSql('alter table idempotency_key add column if not exists request_hash char(64);');
    this.addSql('create index if not exists idempotency_key_created on idempotency_key (created);');
    this.addSql('alter table recipe add column if not exists create_request_hash char(64);');
  }
}
