package dev.idempotency.sample.messaging;

import dev.idempotency.sample.refund.RefundService;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Validator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The refund-requests queue and its listener, only with
 * {@code payments.refund-requests.enabled=true}: the broker comes from the standard
 * {@code spring.rabbitmq.*} properties, and the app's one-command run needs none. The app
 * declares the queue ({@code payments.refund-requests.queue}), durable, and its
 * dead-letter queue (the same name and {@code .dead-letter}), which receives the messages
 * that can never succeed; {@code payments.refund-requests.dead-letter=false} drops them
 * instead, for brokers without RabbitMQ's {@code x-dead-letter-exchange}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("payments.refund-requests.enabled")
class RefundRequestsConfiguration {

	/** The default queue of refund requests. */
	static final String QUEUE = "payments.refund-requests";

	/** The queue's name, from {@code payments.refund-requests.queue}. */
	static final String QUEUE_PROPERTY = "${payments.refund-requests.queue:" + QUEUE + "}";

	/** Where rejected refund requests of a queue go, through the default exchange. */
	static String deadLetterQueue(String queue) {
		return queue + ".dead-letter";
	}

	@Bean
	Queue refundRequestsQueue(@Value(QUEUE_PROPERTY) String queue,
			@Value("${payments.refund-requests.dead-letter:true}") boolean deadLetter) {
		QueueBuilder builder = QueueBuilder.durable(queue);
		if (deadLetter) {
			builder.deadLetterExchange("").deadLetterRoutingKey(deadLetterQueue(queue));
		}
		return builder.build();
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "payments.refund-requests.dead-letter", matchIfMissing = true)
	Queue refundRequestsDeadLetterQueue(@Value(QUEUE_PROPERTY) String queue) {
		return QueueBuilder.durable(deadLetterQueue(queue)).build();
	}

	/**
	 * JSON bodies with the app's Jackson settings; Spring Boot applies it to the listener
	 * containers and the {@code RabbitTemplate}.
	 */
	@Bean
	JacksonJsonMessageConverter jsonMessageConverter(JsonMapper jsonMapper) {
		return new JacksonJsonMessageConverter(jsonMapper);
	}

	@Bean
	RefundRequestHandler refundRequestHandler(RefundService refunds, MeterRegistry meters) {
		return new RefundRequestHandler(refunds, meters);
	}

	@Bean
	RefundRequestListener refundRequestListener(RefundRequestHandler handler, Validator validator,
			MeterRegistry meters) {
		return new RefundRequestListener(handler, validator, meters);
	}

}
