package com.example.shop;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places an order, misbehaving on request by the item's name so that tests can see what a
 * rollback leaves: a slow checkout, one that fails once after writing, one out of stock.
 */
@Service
@Profile("transactional")
class CheckoutService {

	static final String SLOW = "slow-";

	static final String FAILS_ONCE = "fails-once-";

	static final String OUT_OF_STOCK = "out-of-stock-";

	private final OrderRepository orders;

	private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

	CheckoutService(OrderRepository orders) {
		this.orders = orders;
	}

	@Transactional
	Order place(String customer, String item, int quantity) {
		Order order = orders.save(new Order(customer, item, quantity, null));
		if (item.startsWith(SLOW)) {
			pause(1500);
		}
		if (item.startsWith(FAILS_ONCE) && failedOnce.add(item)) {
			throw new IllegalStateException("Payment provider hung up after the order was written");
		}
		return order;
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
