package com.example.shop;

import java.net.URI;
import java.security.Principal;
import java.util.List;

import dev.idempotency.Idempotent;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Orders placed as JSON, from an HTML form, or by uploading purchase-order files.
 */
@RestController
class OrderController {

	private final OrderRepository orders;

	OrderController(OrderRepository orders) {
		this.orders = orders;
	}

	@Idempotent
	@PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<OrderResponse> place(@RequestBody OrderRequest request, Principal customer) {
		return created(new Order(customer.getName(), request.item(), request.quantity(), null));
	}

	@Idempotent
	@PostMapping(path = "/orders", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<OrderResponse> placeFromForm(@RequestParam String item, @RequestParam int quantity,
			@RequestParam(defaultValue = "") String note, Principal customer) {
		return created(new Order(customer.getName(), item, quantity, note));
	}

	@Idempotent
	@PostMapping(path = "/orders", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<OrderResponse> placeFromUploads(@RequestParam String item,
			@RequestParam("files") List<MultipartFile> files, Principal customer) {
		String note = files.stream()
			.map((file) -> file.getOriginalFilename() + ":" + file.getSize())
			.toList()
			.toString();
		return created(new Order(customer.getName(), item, files.size(), note));
	}

	@GetMapping("/orders/{id}")
	ResponseEntity<OrderResponse> find(@PathVariable long id) {
		return ResponseEntity.of(orders.findById(id).map(OrderResponse::of));
	}

	private ResponseEntity<OrderResponse> created(Order order) {
		Order saved = orders.save(order);
		return ResponseEntity.created(URI.create("/orders/" + saved.getId())).body(OrderResponse.of(saved));
	}

	record OrderRequest(String item, int quantity) {
	}

}
