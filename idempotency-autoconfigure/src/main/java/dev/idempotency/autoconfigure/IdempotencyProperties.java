package dev.idempotency.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.idempotency.Atomicity;
import dev.idempotency.OnInFlight;
import dev.idempotency.web.IdempotencySettings;
import dev.idempotency.store.InMemoryIdempotencyStore;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the idempotency layer.
 */
@ConfigurationProperties("idempotency")
public class IdempotencyProperties {

	/**
	 * Whether idempotency is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Request header that carries the client's idempotency key.
	 */
	private String headerName = "Idempotency-Key";

	/**
	 * How long a completed response is kept and replayed.
	 */
	private Duration retention = Duration.ofHours(24);

	/**
	 * How long a running request holds its key. A request that crashed frees its key
	 * after this; keep it above the slowest handler's run time.
	 */
	private Duration lockTimeout = Duration.ofSeconds(30);

	/**
	 * HTTP methods that a class-level @Idempotent applies to. A method-level @Idempotent
	 * applies to whatever unsafe method its handler is mapped to. GET, HEAD, OPTIONS and
	 * TRACE are never idempotent endpoints and are refused here.
	 */
	private Set<String> methods = new LinkedHashSet<>(IdempotencySettings.DEFAULT_CLASS_LEVEL_METHODS);

	/**
	 * Whether idempotent operations commit their key and stored result in one transaction
	 * with their own database writes ("transaction"; needs the JDBC store on PostgreSQL
	 * and a transaction manager on its DataSource), or apart from them ("separate").
	 * Operations override it with @Idempotent(atomicity).
	 */
	private Atomicity atomicity = Atomicity.SEPARATE;

	private final InFlight inFlight = new InFlight();

	private final Propagation propagation = new Propagation();

	private final Request request = new Request();

	private final Response response = new Response();

	private final Fingerprint fingerprint = new Fingerprint();

	private final Store store = new Store();

	private final Redis redis = new Redis();

	private final Jdbc jdbc = new Jdbc();

	private final InMemory inMemory = new InMemory();

	public boolean isEnabled() {
		return enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getHeaderName() {
		return headerName;
	}

	public void setHeaderName(String headerName) {
		this.headerName = headerName;
	}

	public Duration getRetention() {
		return retention;
	}

	public void setRetention(Duration retention) {
		this.retention = retention;
	}

	public Atomicity getAtomicity() {
		return atomicity;
	}

	public void setAtomicity(Atomicity atomicity) {
		this.atomicity = atomicity;
	}

	public Duration getLockTimeout() {
		return lockTimeout;
	}

	public void setLockTimeout(Duration lockTimeout) {
		this.lockTimeout = lockTimeout;
	}

	public Set<String> getMethods() {
		return methods;
	}

	public void setMethods(Set<String> methods) {
		this.methods = methods;
	}

	public Propagation getPropagation() {
		return propagation;
	}

	public InFlight getInFlight() {
		return inFlight;
	}

	public Request getRequest() {
		return request;
	}

	public Response getResponse() {
		return response;
	}

	public Fingerprint getFingerprint() {
		return fingerprint;
	}

	public Store getStore() {
		return store;
	}

	public Redis getRedis() {
		return redis;
	}

	public Jdbc getJdbc() {
		return jdbc;
	}

	public InMemory getInMemory() {
		return inMemory;
	}

	public static class Propagation {

		/**
		 * Whether outbound requests made with the application's RestClient.Builder,
		 * RestTemplateBuilder or WebClient.Builder while an idempotent operation runs get
		 * a derived Idempotency-Key (never the client's own), for the hosts listed.
		 */
		private boolean enabled;

		/**
		 * Hosts whose requests get a derived key, as simple patterns such as
		 * api.stripe.com or *.payments.internal. None by default.
		 */
		private List<String> hosts = new ArrayList<>();

		/**
		 * Header that carries the derived key.
		 */
		private String headerName = "Idempotency-Key";

		public boolean isEnabled() {
			return enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getHosts() {
			return hosts;
		}

		public void setHosts(List<String> hosts) {
			this.hosts = hosts;
		}

		public String getHeaderName() {
			return headerName;
		}

		public void setHeaderName(String headerName) {
			this.headerName = headerName;
		}

	}

	public static class InFlight {

		/**
		 * What a request does while another with the same key runs: 'reject' answers 409
		 * at once, 'wait' waits for the result up to max-wait.
		 */
		private OnInFlight policy = OnInFlight.REJECT;

		/**
		 * How long the 'wait' policy waits before answering 409.
		 */
		private Duration maxWait = Duration.ofSeconds(10);

		public OnInFlight getPolicy() {
			return policy;
		}

		public void setPolicy(OnInFlight policy) {
			this.policy = policy;
		}

		public Duration getMaxWait() {
			return maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

	}

	public static class Request {

		/**
		 * Largest body of an idempotent request; larger ones get 413.
		 */
		private DataSize maxBodySize = DataSize.ofMegabytes(1);

		public DataSize getMaxBodySize() {
			return maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = maxBodySize;
		}

	}

	public static class Response {

		private static final Set<String> NEVER_REPLAYED = Set.of("set-cookie", "set-cookie2");

		/**
		 * Whether 4xx and 5xx responses are stored and replayed too. By default only 2xx
		 * responses are stored, and any other status releases the key so that a corrected
		 * request may retry. Shorthand for stored-statuses 2xx,3xx,4xx,5xx.
		 */
		private boolean storeErrors;

		/**
		 * Final statuses that are stored and replayed, as ranges and statuses, negated
		 * with '!', such as 2xx,4xx,!409,!429; any other releases the key. Takes
		 * precedence over store-errors. Default 2xx.
		 */
		private List<String> storedStatuses = new ArrayList<>();

		public List<String> getStoredStatuses() {
			return storedStatuses;
		}

		public void setStoredStatuses(List<String> storedStatuses) {
			this.storedStatuses = storedStatuses;
		}

		/**
		 * Largest response body that is stored; larger responses are sent but not stored,
		 * and their key is released.
		 */
		private DataSize maxBodySize = DataSize.ofMegabytes(1);

		/**
		 * Response headers replayed in addition to Content-Type, Content-Language,
		 * Location, Content-Location, ETag, Last-Modified and Link.
		 */
		private List<String> replayedHeaders = new ArrayList<>();

		/**
		 * Whether a response is stored with the trace id of the operation that produced
		 * it (with micrometer-tracing), for operators; never replayed to clients. Turn it
		 * off during a rolling upgrade from 0.1: instances of 0.1 cannot read responses
		 * stored with a trace id.
		 */
		private boolean storeTraceId = true;

		public boolean isStoreTraceId() {
			return storeTraceId;
		}

		public void setStoreTraceId(boolean storeTraceId) {
			this.storeTraceId = storeTraceId;
		}

		public boolean isStoreErrors() {
			return storeErrors;
		}

		public void setStoreErrors(boolean storeErrors) {
			this.storeErrors = storeErrors;
		}

		public DataSize getMaxBodySize() {
			return maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = maxBodySize;
		}

		public List<String> getReplayedHeaders() {
			return replayedHeaders;
		}

		/**
		 * Sets the headers replayed in addition to the defaults.
		 * @param replayedHeaders header names
		 * @throws IllegalArgumentException for a cookie header: replaying one would hand
		 * a session to whoever retries with the key
		 */
		public void setReplayedHeaders(List<String> replayedHeaders) {
			for (String name : replayedHeaders) {
				if (NEVER_REPLAYED.contains(name.trim().toLowerCase(Locale.ROOT))) {
					throw new IllegalArgumentException("idempotency.response.replayed-headers must not name " + name
							+ ": cookies belong to the response that set them, never to a replay");
				}
			}
			this.replayedHeaders = new ArrayList<>(replayedHeaders);
		}

	}

	public static class Fingerprint {

		/**
		 * Whether JSON bodies are canonicalised before fingerprinting, so that member
		 * order and whitespace do not make a retry a different request.
		 */
		private boolean canonicalJson = true;

		/**
		 * Whether canonical JSON compares numbers by value, so that 100, 100.0 and 1e2
		 * are one request. Off by default: a handler that binds a number into a String or
		 * a BigDecimal tells these spellings apart.
		 */
		private boolean normalizeNumbers;

		public boolean isCanonicalJson() {
			return canonicalJson;
		}

		public void setCanonicalJson(boolean canonicalJson) {
			this.canonicalJson = canonicalJson;
		}

		public boolean isNormalizeNumbers() {
			return normalizeNumbers;
		}

		public void setNormalizeNumbers(boolean normalizeNumbers) {
			this.normalizeNumbers = normalizeNumbers;
		}

	}

	public static class Store {

		/**
		 * Which store keeps keys and responses. Unset, the richest the application can
		 * have: two-layer (Redis and a DataSource), then redis, jdbc, in-memory.
		 */
		private @Nullable StoreType type;

		public @Nullable StoreType getType() {
			return type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

		/**
		 * Two-layer store: after a Redis failure, how long to go to the database alone
		 * before trying Redis again.
		 */
		private Duration cacheRetryInterval = Duration.ofSeconds(5);

		/**
		 * Two-layer store: how long a response found only in the database is kept in
		 * Redis again (at most the record's remaining retention matters to clients).
		 */
		private Duration backfillRetention = Duration.ofHours(1);

		/**
		 * Two-layer store: longest life of a running request's marker in Redis (the lock
		 * timeout when shorter), and so the bound on how long a 409 answered by Redis
		 * alone may contradict the database, for instance after Redis stalled. Retries of
		 * a longer request reach the database about once per this interval.
		 */
		private Duration cacheLockTimeout = Duration.ofSeconds(2);

		private final NearCache nearCache = new NearCache();

		public Duration getCacheRetryInterval() {
			return cacheRetryInterval;
		}

		public void setCacheRetryInterval(Duration cacheRetryInterval) {
			this.cacheRetryInterval = cacheRetryInterval;
		}

		public Duration getBackfillRetention() {
			return backfillRetention;
		}

		public void setBackfillRetention(Duration backfillRetention) {
			this.backfillRetention = backfillRetention;
		}

		public Duration getCacheLockTimeout() {
			return cacheLockTimeout;
		}

		public void setCacheLockTimeout(Duration cacheLockTimeout) {
			this.cacheLockTimeout = cacheLockTimeout;
		}

		public NearCache getNearCache() {
			return nearCache;
		}

		/**
		 * This JVM's cache of completed responses in front of the Redis, JDBC or
		 * two-layer store, so that replays need no round trip. It only ever replays a
		 * completed response for the same request (never grants a key, never answers 409
		 * or 422).
		 */
		public static class NearCache {

			/**
			 * Whether replays are served from this JVM's cache of completed responses. A
			 * completed response never changes, so the only staleness is a replay up to
			 * time-to-live after an operator evicted the key on another instance.
			 */
			private boolean enabled = true;

			/**
			 * Most responses kept.
			 */
			private int maxEntries = 10_000;

			/**
			 * Most body bytes kept, all responses together.
			 */
			private DataSize maxTotalSize = DataSize.ofMegabytes(16);

			/**
			 * Largest response body kept; larger responses are replayed from the store.
			 */
			private DataSize maxResponseSize = DataSize.ofKilobytes(64);

			/**
			 * Longest life of a kept response (never longer than its retention): the
			 * bound on how long an instance may still replay a response after an operator
			 * evicted its key elsewhere.
			 */
			private Duration timeToLive = Duration.ofSeconds(10);

			public boolean isEnabled() {
				return enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public int getMaxEntries() {
				return maxEntries;
			}

			public void setMaxEntries(int maxEntries) {
				this.maxEntries = maxEntries;
			}

			public DataSize getMaxTotalSize() {
				return maxTotalSize;
			}

			public void setMaxTotalSize(DataSize maxTotalSize) {
				this.maxTotalSize = maxTotalSize;
			}

			public DataSize getMaxResponseSize() {
				return maxResponseSize;
			}

			public void setMaxResponseSize(DataSize maxResponseSize) {
				this.maxResponseSize = maxResponseSize;
			}

			public Duration getTimeToLive() {
				return timeToLive;
			}

			public void setTimeToLive(Duration timeToLive) {
				this.timeToLive = timeToLive;
			}

		}

	}

	public static class Redis {

		/**
		 * Prefix of every Redis key the store writes.
		 */
		private String keyPrefix = "idempotency:";

		/**
		 * Command and connect timeout of the store's own Redis connection: a slow Redis
		 * costs a request at most this long before the store gives up on it.
		 */
		private Duration timeout = Duration.ofMillis(500);

		public String getKeyPrefix() {
			return keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getTimeout() {
			return timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	public static class Jdbc {

		/**
		 * Name of the table that keeps keys and responses.
		 */
		private String tableName = "idempotency_keys";

		/**
		 * When to create the table from the schema shipped for the database.
		 */
		private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

		private final Cleanup cleanup = new Cleanup();

		public String getTableName() {
			return tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public SchemaInitialization getInitializeSchema() {
			return initializeSchema;
		}

		public void setInitializeSchema(SchemaInitialization initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public Cleanup getCleanup() {
			return cleanup;
		}

		/**
		 * When the store creates its table (mirrors Spring Boot's database initialization
		 * mode without needing it on the class path).
		 */
		public enum SchemaInitialization {

			/** Always run the schema script; it creates the table only if missing. */
			ALWAYS,

			/** Only for an embedded database such as H2. */
			EMBEDDED,

			/** Never: the application's migrations (Flyway, Liquibase) create it. */
			NEVER

		}

		public static class Cleanup {

			/**
			 * Whether to delete expired rows periodically.
			 */
			private boolean enabled = true;

			/**
			 * How often to delete expired rows.
			 */
			private Duration interval = Duration.ofMinutes(10);

			/**
			 * How many rows one delete statement removes at most.
			 */
			private int batchSize = 1000;

			public boolean isEnabled() {
				return enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public Duration getInterval() {
				return interval;
			}

			public void setInterval(Duration interval) {
				this.interval = interval;
			}

			public int getBatchSize() {
				return batchSize;
			}

			public void setBatchSize(int batchSize) {
				this.batchSize = batchSize;
			}

		}

	}

	public static class InMemory {

		/**
		 * Most records the in-memory store holds. When all are live (retained or in
		 * flight), requests with new keys get 503 until some expire; no live record is
		 * ever evicted.
		 */
		private int maxEntries = InMemoryIdempotencyStore.DEFAULT_MAX_ENTRIES;

		public int getMaxEntries() {
			return maxEntries;
		}

		public void setMaxEntries(int maxEntries) {
			this.maxEntries = maxEntries;
		}

	}

}
