"""Security headers on every response: a strict Content-Security-Policy and a Permissions-Policy.

Django's SecurityMiddleware already sends nosniff, Referrer-Policy and Cross-Origin-Opener-Policy,
and the clickjacking middleware X-Frame-Options; Django 5.2 has no CSP of its own, hence this.
Nothing on the public site or the desk runs inline script or inline style, so the policy allows
only files from the site itself. The admin keeps a few `style="..."` attributes on its own
screens, so under /admin/ (staff only) style attributes, never style elements or scripts, pass.
"""

from __future__ import annotations

# Scripts, styles, fonts and fetches fall back to default-src: naming them again would say the
# same in more bytes, and every cached page carries this header (nginx reads it on each hit).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ADMIN_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY + "; style-src-attr 'unsafe-inline'"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = (
            ADMIN_CONTENT_SECURITY_POLICY
            if request.path.startswith("/admin/")
            else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
