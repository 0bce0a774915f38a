package dev.idempotency.sample.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated merchant. Its name is the merchant id, which the starter's
 * {@code PrincipalScopeResolver} takes as the idempotency scope.
 */
public class MerchantAuthentication extends AbstractAuthenticationToken {

	private final Merchant merchant;

	public MerchantAuthentication(Merchant merchant) {
		super(List.of(new SimpleGrantedAuthority("ROLE_MERCHANT")));
		this.merchant = merchant;
		setAuthenticated(true);
	}

	@Override
	public Merchant getPrincipal() {
		return merchant;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public String getName() {
		return merchant.id();
	}

}
