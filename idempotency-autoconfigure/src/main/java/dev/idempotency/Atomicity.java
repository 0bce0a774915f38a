package dev.idempotency;

/**
 * Whether an idempotent operation's key, its own database writes and its stored result
 * commit together.
 */
public enum Atomicity {

	/**
	 * Use {@code idempotency.atomicity}.
	 */
	DEFAULT,

	/**
	 * The claim and the stored result commit on their own, apart from the operation's
	 * writes: works with every store, and with operations that write anywhere. A process
	 * killed between the operation's commit and the stored result leaves a key that runs
	 * again once its lock expires.
	 */
	SEPARATE,

	/**
	 * The claim, the operation's writes through the application's transaction manager and
	 * the stored result commit in one database transaction, or not at all: a failure, a
	 * status that is not stored or a crash at any point leaves the key free and no write
	 * behind. Needs the JDBC store on PostgreSQL (alone or behind Redis) in the database
	 * the transaction manager manages; writes made elsewhere (another database, a
	 * {@code REQUIRES_NEW} transaction, a remote call) are outside the unit.
	 */
	TRANSACTION

}
