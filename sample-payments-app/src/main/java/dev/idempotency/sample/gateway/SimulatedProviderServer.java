package dev.idempotency.sample.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.idempotency.sample.gateway.ProviderApi.ChargeParams;
import dev.idempotency.sample.gateway.ProviderApi.ErrorBody;
import dev.idempotency.sample.gateway.ProviderApi.RefundParams;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Serves {@link SimulatedPaymentGateway} over HTTP, as a provider serves its API:
 * {@code POST /v1/charges} and {@code POST /v1/refunds}, JSON in and out, idempotent per
 * {@code Idempotency-Key} header; errors as Stripe answers them ({@code 402 card_error}
 * with the decline code, {@code 400 idempotency_error}, {@code 503 api_error}); and
 * {@code GET /counts}, the charges and refunds it really made
 * ({@code {"charges":N,"refunds":M}}), for tests and fault injection.
 * <p>
 * A server of its own, the JDK's, on a port and threads of its own, rather than
 * controllers in the app: the provider stands for another service, reached over the
 * network, and a payment's call to it must never wait for one of the app's own request
 * threads, which the payments waiting on the provider would hold under load. Listens on
 * {@code localhost}, on {@code payments.gateway.provider-port} (any free port by
 * default).
 */
public final class SimulatedProviderServer {

	/** {@code GET}: the charges and refunds really made. */
	static final String COUNTS = "/counts";

	private final HttpServer server;

	private static final String NO_DELAY = "sun.net.httpserver.nodelay";

	private final ExecutorService threads;

	private final SimulatedPaymentGateway gateway;

	private final JsonMapper json;

	private SimulatedProviderServer(HttpServer server, ExecutorService threads, SimulatedPaymentGateway gateway,
			JsonMapper json) {
		this.server = server;
		this.threads = threads;
		this.gateway = gateway;
		this.json = json;
	}

	/**
	 * Starts a server.
	 * @param gateway the gateway it serves
	 * @param json reads and writes the bodies
	 * @param port the port, {@code 0} for any free one
	 * @return the server, listening
	 * @throws IOException when the port cannot be bound
	 */
	static SimulatedProviderServer start(SimulatedPaymentGateway gateway, JsonMapper json, int port)
			throws IOException {
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("simulated-provider-");
		threadFactory.setDaemon(true);
		ExecutorService threads = Executors.newCachedThreadPool(threadFactory);
		// The JDK's server leaves Nagle's algorithm on: each response's second write
		// would
		// wait for the client's delayed ACK, milliseconds per call that no real provider
		// costs. Read once, when the first server is created.
		if (System.getProperty(NO_DELAY) == null) {
			System.setProperty(NO_DELAY, "true");
		}
		HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 512);
		server.setExecutor(threads);
		SimulatedProviderServer provider = new SimulatedProviderServer(server, threads, gateway, json);
		server.createContext("/v1/", provider::handle);
		server.createContext(COUNTS, provider::handle);
		server.start();
		return provider;
	}

	/**
	 * Where the API is served.
	 * @return {@code http://localhost:<port>}
	 */
	public String baseUrl() {
		return "http://localhost:" + server.getAddress().getPort();
	}

	void stop() {
		server.stop(0);
		threads.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			Answer answer = answer(exchange);
			byte[] body = json.writeValueAsBytes(answer.body());
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(answer.status(), body.length);
			exchange.getResponseBody().write(body);
		}
		finally {
			exchange.close();
		}
	}

	private Answer answer(HttpExchange exchange) throws IOException {
		String key = exchange.getRequestHeaders().getFirst(ProviderApi.IDEMPOTENCY_KEY);
		String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
		try {
			if (route.equals("POST " + ProviderApi.CHARGES)) {
				ChargeParams params = json.readValue(exchange.getRequestBody(), ChargeParams.class);
				return new Answer(200, gateway.charge(key, params.amount(), params.currency(), params.customerId()));
			}
			if (route.equals("GET " + COUNTS)) {
				return new Answer(200, new ProviderApi.Counts(gateway.chargeCount(), gateway.refundCount()));
			}
			if (route.equals("POST " + ProviderApi.REFUNDS)) {
				RefundParams params = json.readValue(exchange.getRequestBody(), RefundParams.class);
				return new Answer(200, gateway.refund(key, params.chargeId(), params.amount()));
			}
			return new Answer(404,
					new ErrorBody(ProviderApi.INVALID_REQUEST_ERROR, null, "No such endpoint: " + route));
		}
		catch (JacksonException ex) {
			return new Answer(400, new ErrorBody(ProviderApi.INVALID_REQUEST_ERROR, null, "Unreadable body"));
		}
		catch (CardDeclinedException ex) {
			return new Answer(402, new ErrorBody(ProviderApi.CARD_ERROR, ex.declineCode(), ex.getMessage()));
		}
		catch (GatewayKeyReusedException ex) {
			return new Answer(400, new ErrorBody(ProviderApi.IDEMPOTENCY_ERROR, null, ex.getMessage()));
		}
		catch (GatewayUnavailableException ex) {
			return new Answer(503, new ErrorBody(ProviderApi.API_ERROR, null, ex.getMessage()));
		}
	}

	private record Answer(int status, Object body) {
	}

}
