package com.example.shop;

import java.net.URI;
import java.security.Principal;

import dev.idempotency.Atomicity;
import dev.idempotency.Idempotent;
import dev.idempotency.OnInFlight;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Checkouts whose key, order and response commit as one transaction. Only in the
 * {@code transactional} profile: the mode needs the JDBC store on PostgreSQL, and the
 * shop also runs on other stores.
 */
@RestController
@Profile("transactional")
class CheckoutController {

	private final CheckoutService checkouts;

	CheckoutController(CheckoutService checkouts) {
		this.checkouts = checkouts;
	}

	@Idempotent(atomicity = Atomicity.TRANSACTION)
	@PostMapping("/checkouts")
	ResponseEntity<OrderResponse> checkout(@RequestBody OrderController.OrderRequest request, Principal customer) {
		return answer(checkouts.place(customer.getName(), request.item(), request.quantity()));
	}

	@Idempotent(atomicity = Atomicity.TRANSACTION, onInFlight = OnInFlight.WAIT)
	@PostMapping("/checkouts/patient")
	ResponseEntity<OrderResponse> patientCheckout(@RequestBody OrderController.OrderRequest request,
			Principal customer) {
		return checkout(request, customer);
	}

	/** Out of stock is found after the order row was written: it must not stay. */
	private static ResponseEntity<OrderResponse> answer(Order order) {
		if (order.getItem().startsWith(CheckoutService.OUT_OF_STOCK)) {
			return ResponseEntity.status(HttpStatus.CONFLICT).build();
		}
		return ResponseEntity.created(URI.create("/orders/" + order.getId())).body(OrderResponse.of(order));
	}

}
