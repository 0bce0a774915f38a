package com.example.shop;

/**
 * An order as the API shows it.
 *
 * @param id the order's id
 * @param customer who placed it
 * @param item what was ordered
 * @param quantity how many
 */
record OrderResponse(long id, String customer, String item, int quantity) {

	static OrderResponse of(Order order) {
		return new OrderResponse(order.getId(), order.getCustomer(), order.getItem(), order.getQuantity());
	}

}
