package com.example.shop;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Logs every response with its body size, the common way: the body is cached while the
 * request runs and copied to the client at the end.
 */
class ResponseLoggingFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(ResponseLoggingFilter.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ContentCachingResponseWrapper caching = new ContentCachingResponseWrapper(response);
		try {
			chain.doFilter(request, caching);
		}
		finally {
			logger.info(request.getMethod() + " " + request.getRequestURI() + " -> " + caching.getStatus() + ", "
					+ caching.getContentSize() + " bytes");
			caching.copyBodyToResponse();
		}
	}

}
