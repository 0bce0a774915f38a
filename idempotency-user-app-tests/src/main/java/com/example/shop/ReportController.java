package com.example.shop;

import java.security.Principal;
import java.util.Map;

import dev.idempotency.Idempotent;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sales reports. Generating one is costly, so the whole controller is marked
 * {@code @Idempotent}; it also lists how many reports a title has.
 */
@RestController
@Idempotent
@RequestMapping("/reports")
class ReportController {

	private static final int LINES = 200;

	private final ReportRepository reports;

	ReportController(ReportRepository reports) {
		this.reports = reports;
	}

	@PostMapping(produces = "text/csv")
	String generate(@RequestParam String title, Principal customer) {
		Report report = reports.save(new Report(customer.getName(), title));
		StringBuilder csv = new StringBuilder("report,line,amount\n");
		for (int line = 1; line <= LINES; line++) {
			csv.append(report.getId()).append(',').append(line).append(',').append(line * 7 % 100).append('\n');
		}
		return csv.toString();
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> count(@RequestParam String title) {
		return Map.of("title", title, "count", reports.countByTitle(title));
	}

}
