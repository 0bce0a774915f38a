package dev.idempotency.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.util.StreamUtils;

/**
 * Creates the store's table from the schema shipped for the database, with the configured
 * table name, when the mode says so. As a Spring Boot database initializer it is
 * detected: beans that depend on database initialization wait for it.
 */
public class JdbcIdempotencySchemaInitializer extends DataSourceScriptDatabaseInitializer {

	private final DataSource dataSource;

	private final String tableName;

	public JdbcIdempotencySchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, String tableName) {
		super(dataSource, settings(mode));
		this.dataSource = dataSource;
		this.tableName = tableName;
	}

	private static DatabaseInitializationSettings settings(DatabaseInitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		// The script is read below, per platform; this location only marks that one
		// exists.
		settings.setSchemaLocations(List.of("classpath:dev/idempotency/jdbc/schema-h2.sql"));
		settings.setMode(mode);
		return settings;
	}

	@Override
	protected void runScripts(Scripts scripts) {
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				schema(JdbcDialect.of(dataSource), tableName));
		populator.setContinueOnError(scripts.isContinueOnError());
		populator.setSeparator(scripts.getSeparator());
		populator.execute(dataSource);
	}

	/**
	 * The shipped schema of a database for a table name: what this initializer runs, and
	 * what users copy into their migrations.
	 * @param dialect the database
	 * @param tableName the table name
	 * @return the script
	 */
	public static Resource schema(JdbcDialect dialect, String tableName) {
		ClassPathResource shipped = new ClassPathResource("schema-" + dialect.platform() + ".sql",
				JdbcIdempotencySchemaInitializer.class);
		try {
			String script = StreamUtils.copyToString(shipped.getInputStream(), StandardCharsets.UTF_8);
			return new ByteArrayResource(script.replace("%TABLE_NAME%", tableName).getBytes(StandardCharsets.UTF_8),
					shipped.getDescription());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + shipped, ex);
		}
	}

}
