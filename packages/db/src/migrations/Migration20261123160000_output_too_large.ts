import { Migration } from '@mikro-orm/migrations';

/**
 * The builtin error for a job whose outputs exceed its disk allocation (ALGORITHM, not retried: a retry writes the
 * same output). Databases created after BUILTIN_ERRORS gained it already have the row from the initial migration.
 */
export class Migration20261123160000_output_too_large extends Migration {
  override name = 'Migration20261123160000_output_too_large';

  override up(): void {
    this.addSql(`
insert into error (name, title, description, category, is_builtin, should_be_retried)
values ('output-too-large', 'Output Too Large', 'The job wrote more output than the disk allocated to it.', 'ALGORITHM', true, false)
on conflict do nothing;`);
  }
}
