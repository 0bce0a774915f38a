package dev.idempotency.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

/**
 * Creates the {@link JdbcIdempotencyStore}'s table from the schema shipped for the
 * database ({@code dev/idempotency/jdbc/schema-<platform>.sql}), with the table name
 * filled in. The scripts only create what is missing, so running them again is harmless;
 * they also add the column that 0.2 added to a table created by 0.1, except on MySQL,
 * which has no {@code ADD COLUMN IF NOT EXISTS} (its script is MariaDB's without that
 * statement; the store then fails at start-up with the statement to run).
 */
public class JdbcIdempotencySchemaInitializer extends DataSourceScriptDatabaseInitializer {

	/** Where the schema scripts are, {@code @@platform@@} standing for the database. */
	public static final String SCHEMA_LOCATION = "classpath:dev/idempotency/jdbc/schema-@@platform@@.sql";

	private static final PlatformPlaceholderDatabaseDriverResolver PLATFORMS = new PlatformPlaceholderDatabaseDriverResolver();

	private final TableName tableName;

	/**
	 * Creates an initializer; with any mode but {@code NEVER} it asks the database which
	 * platform it is.
	 * @param dataSource the database
	 * @param mode when to run the script
	 * @param tableName the table, optionally schema-qualified
	 */
	public JdbcIdempotencySchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, String tableName) {
		super(dataSource, settings(dataSource, mode));
		this.tableName = new TableName(tableName);
	}

	/**
	 * The DDL this initializer runs for the database: the shipped script with the table
	 * name filled in.
	 * @param dataSource the database
	 * @param tableName the table, optionally schema-qualified
	 * @return the SQL script
	 * @throws IllegalStateException if no schema ships for the database
	 */
	public static String schemaFor(DataSource dataSource, String tableName) {
		Resource script = new DefaultResourceLoader().getResource(schemaLocation(dataSource));
		return new TableName(tableName).apply(read(script, StandardCharsets.UTF_8));
	}

	@Override
	protected void runScripts(Scripts scripts) {
		Charset encoding = (scripts.getEncoding() != null) ? scripts.getEncoding() : StandardCharsets.UTF_8;
		List<Resource> filledIn = new ArrayList<>();
		for (Resource script : scripts) {
			byte[] sql = tableName.apply(read(script, encoding)).getBytes(encoding);
			filledIn.add(new ByteArrayResource(sql, script.getDescription()));
		}
		super.runScripts(new Scripts(filledIn).continueOnError(scripts.isContinueOnError())
			.separator(scripts.getSeparator())
			.encoding(encoding));
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, DatabaseInitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setMode(mode);
		if (mode != DatabaseInitializationMode.NEVER) {
			settings.setSchemaLocations(List.of(schemaLocation(dataSource)));
		}
		return settings;
	}

	private static String schemaLocation(DataSource dataSource) {
		String location = PLATFORMS.resolveAll(dataSource, SCHEMA_LOCATION).get(0);
		if (!new DefaultResourceLoader().getResource(location).exists()) {
			throw new IllegalStateException("No idempotency schema ships for this database (" + location
					+ "); supported are PostgreSQL, H2, MariaDB and MySQL");
		}
		return location;
	}

	private static String read(Resource script, Charset encoding) {
		try {
			return script.getContentAsString(encoding);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + script, ex);
		}
	}

}
