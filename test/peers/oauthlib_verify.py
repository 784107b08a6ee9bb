"""JSON-lines bridge to Debian's python3-oauthlib: the independent checker of our OAuth 1.0a.

Each input line is a job; each output line its answer. Jobs:
  {"op": "verify", "method", "uri", "headers", "body", "signatureMethod",
   "rsaPublicKeyPem"?, "clientSecret"?, "resourceOwnerSecret"?}
  -> {"valid", "baseString", "params", "oauthParams"}
"""
import json
import sys
from urllib.parse import urlparse

from oauthlib.common import Request
from oauthlib.oauth1.rfc5849 import signature, utils


def verify(job):
    headers = job.get('headers') or {}
    body = job.get('body') or ''
    content_type = next((v for k, v in headers.items() if k.lower() == 'content-type'), '')
    form_body = body if 'application/x-www-form-urlencoded' in content_type else ''
    request = Request(job['uri'], http_method=job['method'], body=form_body, headers=headers)
    params = signature.collect_parameters(
        uri_query=urlparse(job['uri']).query, body=form_body, headers=headers,
        exclude_oauth_signature=True, with_realm=False)
    request.params = params
    oauth = {}
    auth = next((v for k, v in headers.items() if k.lower() == 'authorization'), None)
    if auth:
        oauth = {k: utils.unescape(v) for k, v in utils.parse_authorization_header(auth)}
    request.signature = oauth.get('oauth_signature', '')
    base_string = signature.signature_base_string(
        job['method'], signature.base_string_uri(job['uri']), signature.normalize_parameters(params))
    valid = False
    if request.signature:
        if job['signatureMethod'] == 'RSA-SHA1':
            valid = signature.verify_rsa_sha1(request, job['rsaPublicKeyPem'])
        else:
            valid = signature.verify_hmac_sha1(request, job.get('clientSecret', ''), job.get('resourceOwnerSecret') or None)
    return {'valid': bool(valid), 'baseString': base_string, 'params': [list(p) for p in params],
            'oauthParams': {k: v for k, v in oauth.items() if k.startswith('oauth_')}}


for line in sys.stdin:
    try:
        job = json.loads(line)
        answer = verify(job)
    except Exception as error:  # an answer for every line, so the caller never hangs
        answer = {'error': '%s: %s' % (type(error).__name__, error)}
    sys.stdout.write(json.dumps(answer) + '\n')
    sys.stdout.flush()
