package dev.idempotency.operation;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopesTests {

	@Test
	void aSpringMessageIsFingerprintedByItsPayload() {
		Object payload = new StringBuilder("refund-1");
		assertThat(Envelopes.payload(MessageBuilder.withPayload(payload).setHeader("delivery", 7).build()))
			.isSameAs(payload);
	}

	@Test
	void anAmqpMessageIsFingerprintedByItsBody() {
		byte[] body = "{\"amount\": 400}".getBytes(StandardCharsets.UTF_8);
		MessageProperties properties = new MessageProperties();
		properties.setDeliveryTag(42);
		properties.setRedelivered(true);
		assertThat(Envelopes.payload(new Message(body, properties))).isSameAs(body);
	}

	@Test
	void otherArgumentsAreTheirOwnFingerprint() {
		Object argument = new Object();
		assertThat(Envelopes.payload(argument)).isSameAs(argument);
		assertThat(Envelopes.payload(null)).isNull();
	}

}
