package com.example.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small shop written the way a Spring Boot user writes one: Spring Boot's defaults
 * (open-in-view on, the default connection pool), HTTP Basic, JPA, and the filters
 * applications commonly add. It uses the idempotency starter only through
 * {@code @Idempotent}.
 */
@SpringBootApplication
public class ShopApplication {

	public static void main(String[] args) {
		SpringApplication.run(ShopApplication.class, args);
	}

}
