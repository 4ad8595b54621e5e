"""A spec's YAML syntax errors in the locale's language: PyYAML's sentences mapped to labcheck's, checked
against the installed PyYAML's own sources and through the real command line."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from labcheck import i18n
from labcheck.spec import yaml_words
from tests.cli_process import run_labcheck_in_both

PYYAML = Path(yaml.__file__).parent
# The parts whose errors reach a spec's reader; the constructor's never do (yaml_words' docstring).
PARTS = ("scanner.py", "parser.py", "composer.py")


def pyyaml_sentences(part: str) -> tuple[set[str], set[str]]:
    """(contexts, problems) that one of PyYAML's files raises, as its source writes them: the literal
    first and third arguments of every `...Error(context, context_mark, problem, problem_mark)`, or the
    literal left of a `"..." % value` there. `str(exc)` and the like are no sentence to map."""
    contexts: set[str] = set()
    problems: set[str] = set()
    tree = ast.parse((PYYAML / part).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if not node.func.id.endswith("Error") or len(node.args) < 3:
            continue
        for index, found in ((0, contexts), (2, problems)):
            argument = node.args[index]
            if isinstance(argument, ast.BinOp) and isinstance(argument.op, ast.Mod):
                argument = argument.left
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return contexts, problems


def all_sentences() -> tuple[set[str], set[str]]:
    contexts: set[str] = set()
    problems: set[str] = set()
    for part in PARTS:
        more_contexts, more_problems = pyyaml_sentences(part)
        contexts |= more_contexts
        problems |= more_problems
    return contexts, problems


def test_every_sentence_labcheck_maps_is_still_in_the_installed_pyyaml() -> None:
    contexts, problems = all_sentences()
    assert "mapping values are not allowed here" in problems  # the extraction reads what it should
    assert "found character %r that cannot start any token" in problems
    assert set(yaml_words.PROBLEMS) - problems == set(), "PyYAML's wording changed: update yaml_words"
    assert set(yaml_words.CONTEXTS) - contexts == set(), "PyYAML's wording changed: update yaml_words"


def test_every_sentence_of_the_installed_pyyaml_is_mapped() -> None:
    contexts, problems = all_sentences()
    assert problems - set(yaml_words.PROBLEMS) == set(), "a new PyYAML sentence: map it in yaml_words"
    assert contexts - set(yaml_words.CONTEXTS) == set(), "a new PyYAML sentence: map it in yaml_words"


class _Mark:
    def __init__(self, line: int) -> None:
        self.line = line  # 0-based, as PyYAML's marks count


def _error(problem: str, context: str | None = None) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(context, _Mark(0) if context else None, problem, _Mark(3))  # type: ignore[arg-type]


_SAMPLE_VALUES = {"found": repr("@"), "token": repr("<block end>"), "count": "4"}


@pytest.mark.parametrize("pyyaml_format", sorted(yaml_words.PROBLEMS))
def test_each_problem_with_its_values_in_is_worded_in_spanish(pyyaml_format: str) -> None:
    values = iter(_SAMPLE_VALUES.get(name, repr("!x!")) for name in yaml_words.PROBLEMS[pyyaml_format].fields)
    said = re.sub(r"%[rsd]", lambda _: next(values), pyyaml_format)
    worded = yaml_words.syntax_problem(_error(said), i18n.spanish())
    assert "analizador" not in worded and "<" not in worded  # mapped, and a token's id worded too
    assert worded != yaml_words.syntax_problem(_error(said), i18n.translator("en"))


def test_an_unknown_problem_is_said_as_the_parsers_words_introduced_in_the_locales_language() -> None:
    error = _error("found something PyYAML 9 says", "while dreaming")
    assert yaml_words.syntax_problem(error, i18n.spanish()) == (
        "el analizador de YAML dice (en inglés): «while dreaming; found something PyYAML 9 says»"
    )
    assert yaml_words.syntax_problem(error, i18n.translator("en")) == (
        "the YAML parser says: “while dreaming; found something PyYAML 9 says”"
    )


def test_a_context_on_the_problems_own_line_or_unknown_adds_nothing() -> None:
    error = yaml.MarkedYAMLError("while dreaming", _Mark(3), "second occurrence", _Mark(3))  # type: ignore[arg-type]
    assert yaml_words.syntax_problem(error, i18n.spanish()) == "aquí se define el ancla por segunda vez"


# Malformed specs: (file name, text, the Spanish line after "FILE:", the English one).
MALFORMED = [
    (  # scanner: a value holding ': '
        "valor.yaml",
        "labcheck: 1\nlab: id: tiny\n",
        "2: (yaml): no es YAML válido: aquí no se admite el valor de una clave (': '): un valor que "
        "contiene ': ' va entre comillas, o la clave está mal sangrada",
        "2: (yaml): is not valid YAML: a key's value (': ') is not allowed here: a value that holds "
        "': ' must be quoted, or the key is indented wrongly",
    ),
    (  # scanner: a tab
        "tabulador.yaml",
        "labcheck: 1\n\tlab: x\n",
        "2: (yaml): no es YAML válido: un tabulador no puede empezar nada aquí; YAML sangra con "
        "espacios, nunca con tabuladores",
        "2: (yaml): is not valid YAML: a tab cannot begin anything here; YAML indents with spaces, "
        "never with tabs",
    ),
    (  # scanner: a character no token begins with
        "arroba.yaml",
        "labcheck: 1\n@lab: x\n",
        "2: (yaml): no es YAML válido: el carácter '@' no puede empezar nada aquí",
        "2: (yaml): is not valid YAML: the character '@' cannot begin anything here",
    ),
    (  # scanner: quotes never closed, found at the end of the file
        "comillas.yaml",
        "labcheck: 1\nlab: 'abierta\n",
        "3: (yaml): no es YAML válido: el archivo termina antes de que se cierren las comillas; el "
        "texto entre comillas empieza en la línea 2",
        "3: (yaml): is not valid YAML: the file ends before the quotes are closed; the quoted text "
        "begins on line 2",
    ),
    (  # scanner: an escape double quotes do not know
        "escape.yaml",
        'labcheck: 1\nlab: "C:\\qemu"\n',
        "2: (yaml): no es YAML válido: el carácter 'q' tras '\\' no es un escape que YAML conozca "
        "entre comillas dobles; escribe '\\\\' para una barra invertida, o usa comillas simples",
        "2: (yaml): is not valid YAML: the character 'q' after '\\' is no escape YAML knows inside "
        "double quotes; write '\\\\' for a backslash, or use single quotes",
    ),
    (  # parser: a flow list never closed
        "corchete.yaml",
        "labcheck: [1, 2\nlab: x\n",
        "2: (yaml): no es YAML válido: se esperaba ',' o ']' en la lista, pero se encuentra el "
        "carácter ':'; la lista ('[') empieza en la línea 1",
        "2: (yaml): is not valid YAML: a ',' or a ']' was expected in the list, but there is the "
        "character ':'; the list ('[') begins on line 1",
    ),
    (  # parser: a key where the list's indentation should end
        "sangria.yaml",
        "- labcheck\nlab: x\n",
        "2: (yaml): no es YAML válido: la sangría no cuadra: el bloque de arriba debería terminar "
        "aquí, pero se encuentra una clave; la lista o el mapa de claves empieza en la línea 1",
        "2: (yaml): is not valid YAML: the indentation does not match: the block above should end "
        "here, but there is a key; the list or mapping begins on line 1",
    ),
    (  # parser: nothing before a ','
        "coma.yaml",
        "labcheck: 1\nnodes: [, host]\n",
        "2: (yaml): no es YAML válido: se esperaba un valor, pero se encuentra el carácter ','",
        "2: (yaml): is not valid YAML: a value was expected, but there is the character ','",
    ),
    (  # parser: a tag handle never declared
        "etiqueta.yaml",
        "labcheck: !x!y 1\n",
        "1: (yaml): no es YAML válido: el prefijo de etiqueta '!x!' no está declarado",
        "1: (yaml): is not valid YAML: the tag handle '!x!' is not declared",
    ),
    (  # composer: two documents
        "documentos.yaml",
        "labcheck: 1\n---\nlab: x\n",
        "2: (yaml): no es YAML válido: aquí empieza un segundo documento: una especificación es un "
        "único documento (quita el '---' o el '...'); el primer documento empieza en la línea 1",
        "2: (yaml): is not valid YAML: a second document begins here: a spec is one document (remove "
        "the '---' or '...'); the first document begins on line 1",
    ),
]


def parser_words() -> set[str]:
    """The words of PyYAML's sentences, less those Spanish writes alike."""
    contexts, problems = all_sentences()
    words = {word.lower() for sentence in contexts | problems for word in re.findall(r"[A-Za-z]+", sentence)}
    return words - {"yaml", "alias", "uri", "escape", "r", "s", "d"}


def test_malformed_specs_are_said_in_the_locales_language_with_their_file_and_line(tmp_path: Path) -> None:
    specs = []
    for name, text, _, _ in MALFORMED:
        spec = tmp_path / name
        spec.write_text(text, encoding="utf-8")
        specs.append(str(spec))
    spanish, english = run_labcheck_in_both("validate", *specs)
    assert spanish.returncode == english.returncode == 2, spanish.stderr + english.stderr
    assert spanish.stderr.splitlines() == [
        f"{spec}:{said}" for spec, (_, _, said, _) in zip(specs, MALFORMED, strict=True)
    ]
    assert english.stderr.splitlines() == [
        f"{spec}:{said}" for spec, (_, _, _, said) in zip(specs, MALFORMED, strict=True)
    ]
    english_words = parser_words()
    for line in spanish.stderr.splitlines():
        words = {word.lower() for word in re.findall(r"[^\W\d_]+", line.split(": ", 1)[1])}
        assert words & english_words == set(), line
