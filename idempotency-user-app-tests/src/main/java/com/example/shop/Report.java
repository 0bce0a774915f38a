package com.example.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "userapp_reports")
public class Report {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String customer;

	private String title;

	protected Report() {
	}

	Report(String customer, String title) {
		this.customer = customer;
		this.title = title;
	}

	public Long getId() {
		return id;
	}

	public String getCustomer() {
		return customer;
	}

	public String getTitle() {
		return title;
	}

}
