"""Every directive as data: what a wrong use of it makes `apachectl -t` say (SYNTAX_ERRORS),
and what a section inherits from an enclosing one (INHERITANCE). A new directive gets a row
in each table; test_every_directive_has_a_syntax_error_row fails until it has one.

Spec errors (a broken spec file) are in test_configtest.py; what each directive does on
requests is in the test file of its stage (test_requests.py, test_responses.py,
test_security*.py, test_introspection.py)."""
import base64
import os
import re
import sys

import pytest

import importlib.util  # noqa: E402

_CHECK = importlib.util.spec_from_file_location("check_config", os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "build", "check-config.py"))
lint_config = importlib.util.module_from_spec(_CHECK)
_CHECK.loader.exec_module(lint_config)

API = """
<Location /api>
    OpenAPISpec specs/routing.yaml
    OpenAPIPlugin echo plugins/echo.so
    %s
</Location>
"""

SECURE = """
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
<Location /def>
    OpenAPISpec specs/security/defaults.yaml
    OpenAPIPlugin auth plugins/auth.so
    OpenAPITokenInfoFunc auth.token_info
    OpenAPIBearerInfoFunc auth.token_info
    OpenAPIApiKeyInfoFunc auth.apikey_info
    OpenAPIBasicInfoFunc auth.basic_info
    %s
</Location>
"""


def api(line):
    return API % line


# (directive, configuration, a regular expression the configtest output must match)
SYNTAX_ERRORS = [
    ("OpenAPISpec", API % "OpenAPISpec specs/requests.yaml",
     r"OpenAPISpec is already set here \(.*routing.yaml\)"),
    ("OpenAPISpec", "<Location /api>\n OpenAPISpec specs/none.yaml\n</Location>\n",
     r"specs/none.yaml: cannot read"),
    ("OpenAPISpec", "<Directory /tmp>\n OpenAPISpec specs/routing.yaml\n</Directory>\n",
     r"OpenAPISpec cannot occur within <Directory> section"),
    ("OpenAPIPlugin", api("OpenAPIPlugin a/b plugins/echo.so"),
     r"OpenAPIPlugin: invalid plugin name 'a/b'"),
    ("OpenAPIPlugin", api("OpenAPIPlugin echo plugins/echo.so"),
     r"OpenAPIPlugin: 'echo' is already defined here"),
    ("OpenAPIPlugin", "<Location /api>\n OpenAPISpec specs/routing.yaml\n"
     " OpenAPIPlugin echo plugins/nothing-here.so\n</Location>\n",
     r"OpenAPIPlugin echo: cannot load .*nothing-here.so"),
    ("OpenAPIPlugin", "<Location /api>\n OpenAPISpec specs/routing.yaml\n"
     " OpenAPIPlugin echo plugins/wrong_abi.so\n</Location>\n",
     r"was built for plugin ABI 101, this module has ABI 1"),
    ("OpenAPIPlugin", "<Location /api>\n OpenAPIPlugin echo plugins/echo.so\n</Location>\n",
     r"OpenAPIPlugin or OpenAPIBasePath without an OpenAPISpec"),
    ("OpenAPIPlugin", api("OpenAPIPlugin"), r"OpenAPIPlugin takes two arguments"),
    ("OpenAPIBasePath", api("OpenAPIBasePath v1"), r"OpenAPIBasePath must begin with '/'"),
    ("OpenAPIBasePath", "<Location /api>\n OpenAPIBasePath /api\n</Location>\n",
     r"OpenAPIPlugin or OpenAPIBasePath without an OpenAPISpec"),
    ("OpenAPIUriParser", api("OpenAPIUriParser last"),
     r"OpenAPIUriParser: 'last' is not one of openapi, swagger2, first-value, always-multi"),
    ("OpenAPIStrictValidation", api("OpenAPIStrictValidation yes"),
     r"OpenAPIStrictValidation must be On or Off"),
    ("OpenAPIMaxBodySize", api("OpenAPIMaxBodySize 10k"),
     r"OpenAPIMaxBodySize: '10k' is not a number of bytes"),
    ("OpenAPIMaxBodySize", api("OpenAPIMaxBodySize -1"),
     r"OpenAPIMaxBodySize: '-1' is not a number of bytes"),
    # one rule for every number: digits only, no sign, no overflow
    ("OpenAPIMaxBodySize", api("OpenAPIMaxBodySize 99999999999999999999"),
     r"OpenAPIMaxBodySize: '99999999999999999999' is not a number of bytes"),
    ("OpenAPIMaxErrors", api("OpenAPIMaxErrors +5"),
     r"OpenAPIMaxErrors: '\+5' is not a number from 1 to 1000"),
    ("OpenAPIJWTLeeway", api("OpenAPIJWTLeeway ' 5'"),
     r"OpenAPIJWTLeeway: ' 5' is not a number of seconds"),
    ("OpenAPIValidateResponses", api("OpenAPIValidateResponses 1"),
     r"OpenAPIValidateResponses must be On or Off"),
    ("OpenAPIMock", api("OpenAPIMock some"),
     r"OpenAPIMock: 'some' is not one of off, all, unimplemented"),
    ("OpenAPIStub", api("OpenAPIStub maybe"), r"OpenAPIStub must be On or Off"),
    ("OpenAPITokenInfoFunc", api("OpenAPITokenInfoFunc token_info"),
     r"OpenAPITokenInfoFunc: 'token_info' is not PLUGIN.function"),
    ("OpenAPITokenInfoFunc", SECURE.replace("OpenAPITokenInfoFunc auth.token_info", "") % "",
     r"security scheme 'oauth' \(oauth2\) has no way to check credentials"),
    ("OpenAPITokenInfoFunc", SECURE % "OpenAPITokenInfoFunc auth.no_such",
     r"plugin 'auth' .* has no function 'no_such'"),
    ("OpenAPIBearerInfoFunc", api("OpenAPIBearerInfoFunc auth."),
     r"OpenAPIBearerInfoFunc: 'auth.' is not PLUGIN.function"),
    ("OpenAPIBearerInfoFunc", SECURE.replace("OpenAPIBearerInfoFunc auth.token_info", "") % "",
     r"security scheme 'bearer' \(bearer\) has no way to check credentials"),
    ("OpenAPIBasicInfoFunc", api("OpenAPIBasicInfoFunc .basic_info"),
     r"OpenAPIBasicInfoFunc: '.basic_info' is not PLUGIN.function"),
    ("OpenAPIApiKeyInfoFunc", api("OpenAPIApiKeyInfoFunc apikey"),
     r"OpenAPIApiKeyInfoFunc: 'apikey' is not PLUGIN.function"),
    ("OpenAPIApiKeyInfoFunc", SECURE.replace("OpenAPIApiKeyInfoFunc auth.apikey_info", "") % "",
     r"security scheme 'key' \(apikey\) has no way to check credentials"),
    ("OpenAPIScopeValidateFunc", api("OpenAPIScopeValidateFunc any"),
     r"OpenAPIScopeValidateFunc: 'any' is not PLUGIN.function"),
    ("OpenAPIScopeValidateFunc", SECURE % "OpenAPIScopeValidateFunc other.any_scope",
     r"other.any_scope"),
    ("OpenAPIBasicProvider", SECURE.replace("OpenAPIBasicInfoFunc auth.basic_info", "")
     % "OpenAPIBasicProvider nosuch",
     r"OpenAPIBasicProvider: no authn provider 'nosuch' is loaded "
     r"\(LoadModule authn_nosuch_module\)"),
    ("OpenAPIBasicProvider", SECURE.replace("OpenAPIBasicInfoFunc auth.basic_info", "") % "",
     r"OpenAPIBasicProvider: no authn provider 'file' is loaded"),
    ("OpenAPIBasicProvider", api("OpenAPIBasicProvider"),
     r"OpenAPIBasicProvider requires at least one argument"),
    ("OpenAPIAuthErrorFormat", api("OpenAPIAuthErrorFormat xml"),
     r"OpenAPIAuthErrorFormat: 'xml' is not oauth or problem"),
    ("OpenAPIAuthErrorTemplate", api("OpenAPIAuthErrorTemplate specs/none.json"),
     r"OpenAPIAuthErrorTemplate: cannot read .*specs/none.json"),
    ("OpenAPITokenIntrospection", api("OpenAPITokenIntrospection ftp://x/ id secret"),
     r"OpenAPITokenIntrospection: 'ftp://x/' is not an http or https URL"),
    ("OpenAPITokenIntrospection", api("OpenAPITokenIntrospection https://x/ id"),
     r"OpenAPITokenIntrospection takes three arguments"),
    ("OpenAPITokenCache", api("OpenAPITokenCache :11211"),
     r"OpenAPITokenCache: PROVIDER\[:ARGS\] expected"),
    ("OpenAPITokenCacheTTL", api("OpenAPITokenCacheTTL soon"),
     r"OpenAPITokenCacheTTL: 'soon' is not a number of seconds"),
    ("OpenAPIJWKS", api("OpenAPIJWKS jwks:keys"),
     r"OpenAPIJWKS: 'jwks:keys' is neither an http\(s\) URI nor a file"),
    ("OpenAPIJWTIssuer", api("OpenAPIJWTIssuer"),
     r"OpenAPIJWTIssuer requires at least one argument"),
    ("OpenAPIJWTAudience", api("OpenAPIJWTAudience"),
     r"OpenAPIJWTAudience requires at least one argument"),
    ("OpenAPIJWTAlgorithms", api("OpenAPIJWTAlgorithms none"),
     r"OpenAPIJWTAlgorithms: 'none' is not one of .*none is never accepted"),
    ("OpenAPIJWTLeeway", api("OpenAPIJWTLeeway soon"),
     r"OpenAPIJWTLeeway: 'soon' is not a number of seconds"),
    ("OpenAPIJWTRequireType", api("OpenAPIJWTRequireType maybe"),
     r"OpenAPIJWTRequireType must be On or Off"),
    ("OpenAPIJWTUserClaim", api('OpenAPIJWTUserClaim ""'),
     r"OpenAPIJWTUserClaim takes one argument"),
    ("OpenAPIJWTScopeClaim", api('OpenAPIJWTScopeClaim ""'),
     r"OpenAPIJWTScopeClaim takes one argument"),
    ("OpenAPIJWTSharedSecret", api('OpenAPIJWTSharedSecret "short"'),
     r"OpenAPIJWTSharedSecret: the secret must have at least 32 bytes"),
    ("OpenAPIJWKSRefresh", api("OpenAPIJWKSRefresh -1"),
     r"OpenAPIJWKSRefresh: '-1' is not a number of seconds"),
    ("OpenAPIJWKSRefreshInterval", api("OpenAPIJWKSRefreshInterval often"),
     r"OpenAPIJWKSRefreshInterval: 'often' is not a number of seconds"),
    ("OpenAPISpecEndpoint", api("OpenAPISpecEndpoint maybe"),
     r"OpenAPISpecEndpoint must be On or Off"),
    ("OpenAPITrustProxy", api("OpenAPITrustProxy maybe"),
     r"OpenAPITrustProxy must be On or Off"),
    ("OpenAPISwaggerUI", api("OpenAPISwaggerUI maybe"),
     r"OpenAPISwaggerUI must be On or Off"),
    ("OpenAPISwaggerUIDir", api("OpenAPISwaggerUIDir no-such-dir"),
     r"OpenAPISwaggerUIDir: 'no-such-dir' is not a directory"),
    ("OpenAPISwaggerUIOption", api("OpenAPISwaggerUIOption bad-name 1"),
     r"OpenAPISwaggerUIOption: 'bad-name' is not an option name"),
    ("OpenAPISwaggerUIOAuth", api("OpenAPISwaggerUIOAuth bad-name 1"),
     r"OpenAPISwaggerUIOAuth: 'bad-name' is not an option name"),
    ("OpenAPICORS", api("OpenAPICORS ftp://x"), r"OpenAPICORS: 'ftp://x' is not an origin"),
    ("OpenAPICORSCredentials", api("OpenAPICORSCredentials maybe"),
     r"OpenAPICORSCredentials must be On or Off"),
    ("OpenAPICORSMaxAge", api("OpenAPICORSMaxAge soon"),
     r"OpenAPICORSMaxAge: 'soon' is not a number of seconds"),
    ("OpenAPICORSExposeHeaders", api("OpenAPICORSExposeHeaders 'bad header'"),
     r"OpenAPICORSExposeHeaders: 'bad header' is not a header name"),
    ("OpenAPICORSAllowHeaders", api("OpenAPICORSAllowHeaders 'bad header'"),
     r"OpenAPICORSAllowHeaders: 'bad header' is not a header name"),
    ("OpenAPIMaxErrors", api("OpenAPIMaxErrors 0"),
     r"OpenAPIMaxErrors: '0' is not a number from 1 to 1000"),
    ("OpenAPIFillDefaults", api("OpenAPIFillDefaults maybe"),
     r"OpenAPIFillDefaults must be On or Off"),
    ("OpenAPIBearerTokenFrom", api("OpenAPIBearerTokenFrom header cookie"),
     r"OpenAPIBearerTokenFrom: 'cookie' is not one of header, form, query"),
    ("OpenAPIResolver", api("OpenAPIResolver restful echo"),
     r"OpenAPIResolver: 'resty PLUGIN' or 'off' expected, not 'restful echo'"),
    ("OpenAPIArgument", api("OpenAPIArgument 9lives x"),
     r"OpenAPIArgument: '9lives' is not a name \(\[A-Za-z_\]\[A-Za-z0-9_\]\*\)"),
    ("OpenAPIArgument", api("OpenAPIArgument a 1\n    OpenAPIArgument a 2"),
     r"OpenAPIArgument: 'a' is already set here"),
    ("OpenAPIArgument", "<Location /api>\n OpenAPISpec specs/arguments/api.yaml\n"
     " OpenAPIPlugin echo plugins/echo.so\n</Location>\n",
     r"api.yaml:3:11: spec argument 'title' has no value"),
    ("OpenAPIMockSeed", api("OpenAPIMockSeed -1"),
     r"OpenAPIMockSeed: '-1' is not a number from 0 to 9223372036854775807 or random"),
    ("OpenAPIMockSeed", api("OpenAPIMockSeed 99999999999999999999"),
     r"OpenAPIMockSeed: '99999999999999999999' is not a number"),
    ("OpenAPIResolver", api("OpenAPIResolver off echo"),
     r"OpenAPIResolver: 'resty PLUGIN' or 'off' expected, not 'off echo'"),
    ("OpenAPIDispatch", api("OpenAPIDispatch proxy"),
     r"OpenAPIDispatch: 'proxy' is not plugin or backend"),
    ("OpenAPIDispatch", api("OpenAPIDispatch plugin\n OpenAPIPlugin auth plugins/auth.so")
     .replace("routing.yaml", "gateway.yaml"), r"operationId 'createItem' names no plugin"),
    ("OpenAPIValidationMode", api("OpenAPIValidationMode warn"),
     r"OpenAPIValidationMode: 'warn' is not enforce or report"),
    ("OpenAPIBackendHeader", api("OpenAPIBackendHeader email X-Email"),
     r"OpenAPIBackendHeader: 'email' is not user, scopes, operation or claim:NAME"),
    ("OpenAPIBackendHeader", api("OpenAPIBackendHeader user X-User:1"),
     r"OpenAPIBackendHeader: 'X-User:1' is not a header name"),
    ("OpenAPIBackendHeader", api("OpenAPIBackendHeader user X-A\n OpenAPIBackendHeader user X-B"),
     r"OpenAPIBackendHeader: 'user' is already set here"),
    ("OpenAPIMaxResponseBodySize", api("OpenAPIMaxResponseBodySize 1M"),
     r"OpenAPIMaxResponseBodySize: '1M' is not a number of bytes"),
]


@pytest.mark.parametrize("directive, config, expected", SYNTAX_ERRORS,
                         ids=["%s-%d" % (row[0], i) for i, row in enumerate(SYNTAX_ERRORS)])
def test_wrong_use_stops_configtest(httpd, directive, config, expected):
    server = httpd(config, start=False)
    code, output = server.configtest()
    assert code != 0, output
    assert re.search(expected, output), output
    assert "httpd.conf" in output, output  # the directive's or the section's line


def test_every_directive_has_a_syntax_error_row():
    with open(lint_config.DIRECTIVES) as f:
        directives = lint_config.command_directives(f.read())
    assert directives
    assert sorted(set(directives) - {row[0] for row in SYNTAX_ERRORS}) == []


def test_a_good_configuration_passes_configtest(httpd):
    server = httpd(api(""), start=False)
    code, output = server.configtest()
    assert code == 0, output
    assert "Syntax OK" in output


# Inheritance: an outer <Location /api> and an inner <Location /api/v1> serving a spec
# under /api/v1; a request to the inner one shows what it took from the outer one.
NESTED = """
<Location /api>
    OpenAPIPlugin echo plugins/echo.so
    OpenAPIPlugin respond plugins/respond.so
    {outer}
</Location>
<Location /api/v1>
    OpenAPISpec specs/{spec}
    OpenAPIBasePath /api/v1
    {inner}
</Location>
"""

LARGE_BODY = '{"name": "%s"}' % ("x" * 40)
JSON = {"Content-Type": "application/json"}

# (name, spec, outer lines, inner lines, (method, path, body, headers), expected status)
INHERITANCE = [
    ("max body inherited", "routing.yaml", "OpenAPIMaxBodySize 16", "",
     ("POST", "/api/v1/items", LARGE_BODY, JSON), 413),
    ("max body overridden", "routing.yaml", "OpenAPIMaxBodySize 16", "OpenAPIMaxBodySize 0",
     ("POST", "/api/v1/items", LARGE_BODY, JSON), 200),
    ("strict validation inherited", "routing.yaml", "OpenAPIStrictValidation on", "",
     ("GET", "/api/v1/items?unknown=1", None, {}), 400),
    ("strict validation overridden", "routing.yaml", "OpenAPIStrictValidation on",
     "OpenAPIStrictValidation off", ("GET", "/api/v1/items?unknown=1", None, {}), 200),
    ("stub inherited", "routing.yaml", "OpenAPIStub on",
     "OpenAPIPlugin echo plugins/respond.so", ("GET", "/api/v1/items/latest", None, {}), 501),
    ("an inner plugin of the same name wins", "routing.yaml", "",
     "OpenAPIPlugin echo plugins/respond.so\n    OpenAPIStub on",
     ("GET", "/api/v1/items/latest", None, {}), 501),
    ("mock inherited", "responses.yaml", "OpenAPIMock unimplemented", "",
     ("GET", "/api/v1/unwritten", None, {}), 200),
    ("mock overridden", "responses.yaml", "OpenAPIMock unimplemented", "OpenAPIStub on\n"
     "    OpenAPIMock off", ("GET", "/api/v1/unwritten", None, {}), 501),
    ("uri parser inherited", "routing.yaml", "OpenAPIUriParser first-value", "",
     ("GET", "/api/v1/items?limit=1&limit=x", None, {}), 200),
    ("uri parser default", "routing.yaml", "", "",
     ("GET", "/api/v1/items?limit=1&limit=x", None, {}), 400),
    ("arguments inherited", "arguments/api.yaml",
     "OpenAPIArgument resource x\n    OpenAPIArgument func anything\n"
     "    OpenAPIArgument common_func root\n    OpenAPIArgument max 1\n"
     "    OpenAPIArgument title T\n    OpenAPIArgument base /api/v1",
     "OpenAPIArgument max 2", ("GET", "/api/v1/x?limit=2", None, {}), 200),
    ("arguments: the outer value", "arguments/api.yaml",
     "OpenAPIArgument resource x\n    OpenAPIArgument func anything\n"
     "    OpenAPIArgument common_func root\n    OpenAPIArgument max 1\n"
     "    OpenAPIArgument title T\n    OpenAPIArgument base /api/v1",
     "", ("GET", "/api/v1/x?limit=2", None, {}), 400),
    ("resolver inherited", "resolver/resty.yaml", "OpenAPIResolver resty resty",
     "OpenAPIPlugin resty plugins/resty.so", ("GET", "/api/v1/foo", None, {}), 200),
    ("resolver overridden", "resolver/resty.yaml", "OpenAPIResolver resty resty",
     "OpenAPIPlugin resty plugins/resty.so\n    OpenAPIResolver off\n    OpenAPIStub on",
     ("GET", "/api/v1/foo", None, {}), 501),
    # A backend location without a backend: httpd's default handler finds no file (404).
    ("dispatch inherited", "routing.yaml", "OpenAPIDispatch backend",
     "OpenAPIPlugin echo plugins/respond.so", ("GET", "/api/v1/items/latest", None, {}), 404),
    ("dispatch overridden", "routing.yaml", "OpenAPIDispatch backend",
     "OpenAPIPlugin echo plugins/respond.so\n    OpenAPIDispatch plugin\n    OpenAPIStub on",
     ("GET", "/api/v1/items/latest", None, {}), 501),
    ("validation mode inherited", "routing.yaml",
     "OpenAPIDispatch backend\n    OpenAPIValidationMode report",
     "OpenAPIPlugin echo plugins/respond.so", ("GET", "/api/v1/items/x", None, {}), 404),
    ("validation mode overridden", "routing.yaml",
     "OpenAPIDispatch backend\n    OpenAPIValidationMode report",
     "OpenAPIPlugin echo plugins/respond.so\n    OpenAPIValidationMode enforce",
     ("GET", "/api/v1/items/x", None, {}), 400),
]


@pytest.mark.parametrize("name, spec, outer, inner, request_, status", INHERITANCE,
                         ids=[row[0].replace(" ", "-") for row in INHERITANCE])
def test_inner_sections_inherit(httpd, name, spec, outer, inner, request_, status):
    server = httpd(NESTED.format(spec=spec, outer=outer, inner=inner))
    server.expect_log(r"OAPI11001: report mode")  # what report mode logs, by design
    method, path, body, headers = request_
    answer = server.request(method, path, body=body, headers=headers)
    assert answer.status == status, answer


def test_security_functions_are_inherited(httpd):
    server = httpd("""
<Location /def>
    OpenAPIPlugin auth plugins/auth.so
    OpenAPITokenInfoFunc auth.token_info
    OpenAPIBearerInfoFunc auth.token_info
    OpenAPIApiKeyInfoFunc auth.apikey_info
    OpenAPIBasicInfoFunc auth.basic_info
    OpenAPIScopeValidateFunc auth.any_scope
    OpenAPIAuthErrorFormat problem
</Location>
<Location /def/v1>
    OpenAPISpec specs/security/defaults.yaml
    OpenAPIBasePath /def/v1
</Location>
""")
    token = {"Authorization": "Bearer read-token"}
    assert server.get("/def/v1/admin", headers=token).status == 200  # any_scope
    refused = server.get("/def/v1/basic", headers={
        "Authorization": "Basic " + base64.b64encode(b"admin:wrong").decode()})
    assert refused.status == 401
    assert refused.content_type == "application/problem+json", refused
