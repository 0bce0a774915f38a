package com.example.shop;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "userapp_orders")
public class Order {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String customer;

	private String item;

	private int quantity;

	@Column(columnDefinition = "text")
	private String note;

	protected Order() {
	}

	Order(String customer, String item, int quantity, String note) {
		this.customer = customer;
		this.item = item;
		this.quantity = quantity;
		this.note = note;
	}

	public Long getId() {
		return id;
	}

	public String getCustomer() {
		return customer;
	}

	public String getItem() {
		return item;
	}

	public int getQuantity() {
		return quantity;
	}

	public String getNote() {
		return note;
	}

}
