"""A wrong spec stops `apachectl -t` with file, line and reason. Wrong uses of each
directive are the SYNTAX_ERRORS table of test_directives.py."""
import pytest


def configtest(httpd, body):
    server = httpd(body, start=False)
    code, output = server.configtest()
    return server, code, output


def spec_location(spec, plugin="echo"):
    return """
<Location /api>
    OpenAPISpec specs/broken/%s
    OpenAPIPlugin %s plugins/echo.so
</Location>
""" % (spec, plugin)


@pytest.mark.parametrize("spec, expected", [
    ("bad_yaml.yaml", r"bad_yaml.yaml:9:6: invalid YAML: did not find expected key"),
    ("bad_ref.yaml", r"bad_ref.yaml:15:23: \$ref '#/components/schemas/Missing': nothing at "
     r"'#/components/schemas/Missing' in file://"),
    ("bad_file_ref.yaml", r"no-such-file.yaml: cannot read"),
    ("duplicate_operation_id.yaml",
     r"duplicate_operation_id.yaml:12:20: duplicate operationId 'echo.echo' "
     r"\(first used at line 8\)"),
    ("undeclared_path_param.yaml",
     r"undeclared_path_param.yaml:7:5: GET /users/\{userId\}: path parameter 'userId' is in "
     r"the template but no parameter declares it"),
    ("additional_operations.yaml",
     r"additional_operations.yaml:11:7: path item: the name 'OPTIONS' may not be used here "
     r"\(it is kept for a field of its own\)"),
    ("additional_operations.yaml",
     r"additional_operations.yaml:13:7: path item: the name 'PUR GE' may not be used here "
     r"\(a name must match "),
    ("additional_operations.yaml",
     r"additional_operations.yaml:9:7: path '/a': additionalOperations method 'Delete' is "
     r"DELETE but for case: DELETE operations go in the path item's own 'delete' field"),
    ("version.json", r"version.json:2:14: OpenAPI version '4.0.0' is not supported"),
    ("bad_json.json", r"bad_json.json:5:47: invalid JSON: string or '}' expected"),
])
def test_broken_spec_fails_configtest(httpd, spec, expected):
    import re
    server, code, output = configtest(httpd, spec_location(spec))
    assert code != 0, output
    assert re.search(expected, output), output
    assert "httpd.conf" in output  # httpd names the directive's own line too


def test_missing_function_fails_configtest(httpd):
    server, code, output = configtest(httpd, spec_location("missing_function.yaml"))
    assert code != 0
    assert "missing_function.yaml:7:5: GET /a: operationId 'echo.no_such_function': plugin " \
           "'echo'" in output, output
    assert "has no function 'no_such_function'" in output
    assert "<Location /api> at" in output


def test_missing_plugin_fails_configtest(httpd):
    server, code, output = configtest(httpd, spec_location("missing_plugin.yaml"))
    assert code != 0
    assert "needs plugin 'nosuchplugin', which no OpenAPIPlugin directive for this location " \
           "loads" in output, output
