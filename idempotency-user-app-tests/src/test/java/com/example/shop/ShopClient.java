package com.example.shop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The shop's API as a client program sees it: plain HTTP with the JDK's client, one
 * customer's credentials, and an {@code Idempotency-Key} when one is given.
 */
final class ShopClient {

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	private final String authorization;

	ShopClient(int port, String user, String password) {
		this.baseUrl = "http://127.0.0.1:" + port;
		this.authorization = "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	Exchange postJson(String path, @Nullable String key, String json) {
		return send(request(path, key).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)));
	}

	Exchange postForm(String path, String key, String form) {
		return send(request(path, key).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString(form)));
	}

	/**
	 * Posts a multipart form: the {@code item} field, then every file as a part named
	 * {@code files} with the file name browsers give a blob.
	 */
	Exchange postFiles(String path, String key, String item, List<String> files) {
		String boundary = "----shop" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\n" + item + "\r\n");
		for (String file : files) {
			write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"blob\"\r\n"
					+ "Content-Type: text/plain\r\n\r\n" + file + "\r\n");
		}
		write(body, "--" + boundary + "--\r\n");
		return send(request(path, key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(BodyPublishers.ofByteArray(body.toByteArray())));
	}

	Exchange get(String path, @Nullable String key) {
		return send(request(path, key).GET());
	}

	private HttpRequest.Builder request(String path, @Nullable String key) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", authorization);
		return (key != null) ? builder.header("Idempotency-Key", key) : builder;
	}

	private static Exchange send(HttpRequest.Builder request) {
		try {
			return Exchange.of(http.send(request.build(), BodyHandlers.ofByteArray()));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void write(ByteArrayOutputStream out, String text) {
		out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
	}

}
