package com.example.shop;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The old checkout URL, kept for clients that still call it: it forwards to the orders
 * API.
 */
@Controller
class LegacyCheckoutController {

	@PostMapping("/checkout")
	String checkout() {
		return "forward:/orders";
	}

}
