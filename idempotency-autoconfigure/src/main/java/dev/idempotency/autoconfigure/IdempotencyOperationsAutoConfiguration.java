package dev.idempotency.autoconfigure;

import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.operation.IdempotencyTemplate;
import dev.idempotency.operation.IdempotentMethodAdvisor;
import dev.idempotency.operation.OperationDefaults;
import dev.idempotency.operation.ResultCodec;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Idempotency beyond controllers: the {@link IdempotencyTemplate} and the proxy that runs
 * {@code @Idempotent} methods of other beans (services, listeners, jobs) through it.
 * Results are stored as JSON with the application's {@link JsonMapper}.
 */
@AutoConfiguration(after = IdempotencyAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnBean(IdempotencyEngine.class)
public final class IdempotencyOperationsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResultCodec idempotencyResultCodec(ObjectProvider<JsonMapper> mapper) {
		return new ResultCodec(mapper.getIfAvailable(() -> JsonMapper.builder().findAndAddModules().build()));
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyTemplate idempotencyTemplate(IdempotencyEngine engine, ResultCodec codec,
			IdempotencyProperties properties) {
		return new IdempotencyTemplate(engine, codec,
				new OperationDefaults(properties.getLockTimeout(), properties.getRetention(),
						properties.getInFlight().getPolicy(), properties.getInFlight().getMaxWait(),
						properties.getAtomicity()));
	}

	/**
	 * Infrastructure, like the transaction advisor, so any auto-proxy creator applies it.
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static IdempotentMethodAdvisor idempotentMethodAdvisor(ObjectProvider<IdempotencyTemplate> template) {
		return new IdempotentMethodAdvisor(template);
	}

}
