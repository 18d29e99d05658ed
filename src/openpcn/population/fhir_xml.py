"""FHIR R4 XML to the JSON shape the importer reads (rules of hl7.org/fhir/R4/xml.html).

``parse_resource(data, name)`` turns one XML document (a resource or a Bundle) into the dict
that the JSON representation of the same resource would give:

- every element is in the namespace ``http://hl7.org/fhir``; the root element names the
  ``resourceType``; a primitive's value is its ``value`` attribute (kept as a string: XML does
  not say which primitives are numbers, the importer converts what it reads);
- a primitive's ``id``/``extension`` go to ``_name`` as in JSON; ``extension``'s ``url`` is an
  attribute; the ``div`` narrative (XHTML) is dropped;
- a resource inside ``contained``, ``Bundle.entry.resource`` or ``entry.response.outcome`` is
  converted as a resource (with its own ``resourceType``);
- arrays: an element is a list when FHIR R4 makes it ``0..*``. XML does not say so, so the
  ``0..*`` elements of the resources the importer reads (Patient, Condition, Observation,
  MedicationStatement, MedicationRequest, Medication, Bundle and their data types) are listed
  below (``ALWAYS_LISTS`` by name, ``LIST_PATHS`` by path from the resource). Any other element
  that occurs more than once also becomes a list (nothing is dropped); the importer's accessors
  accept one or many either way.

Parsing uses the standard library's expat with no DTD allowed: a ``<!DOCTYPE``, entity
declaration or external entity is refused (no entity expansion, no external fetch). Errors
are :class:`FhirXmlError` with the file name and line; they never quote the document.
"""

from __future__ import annotations

from xml.parsers import expat

FHIR_NS = "http://hl7.org/fhir"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# 0..* in every data type / backbone element where the name occurs (R4)
ALWAYS_LISTS = _words(
    """extension modifierExtension contained coding given prefix suffix line profile security
    tag dayOfWeek timeOfDay when event telecom note interpretation referenceRange basedOn
    partOf derivedFrom reasonCode reasonReference hasMember focus entry link component
    dosage dosageInstruction additionalInstruction doseAndRate ingredient
    generalPractitioner photo communication contact supportingInformation
    instantiatesCanonical instantiatesUri insurance detectedIssue eventHistory stage
    evidence
    """
)
# 0..* only at these paths (the same name is 0..1 elsewhere, e.g. Reference.identifier)
LIST_PATHS = frozenset(
    [f"{r}.identifier" for r in ("Patient", "Condition", "Observation")]
    + [f"{r}.identifier" for r in ("MedicationStatement", "MedicationRequest", "Medication")]
    + [f"{r}.category" for r in ("Condition", "Observation", "MedicationRequest")]
    + [
        "Patient.name",
        "Patient.address",
        "Patient.contact.relationship",
        "Condition.bodySite",
        "Condition.stage.assessment",
        "Condition.evidence.code",
        "Condition.evidence.detail",
        "Observation.performer",
        "Observation.referenceRange.appliesTo",
        "MedicationStatement.statusReason",
    ]
)
# names that are primitives wherever they occur: without a value attribute they still go to _name
PRIMITIVES = _words(
    """birthDate gender onsetDateTime recordedDate effectiveDateTime issued authoredOn
    dateAsserted start end reference display system unit value status intent fullUrl
    """
)
WRAPPERS = frozenset({"resource", "contained", "outcome"})


class FhirXmlError(ValueError):
    """An XML document that cannot be read as FHIR; ``reason`` is the report's key."""

    def __init__(self, reason: str, name: str, line: int | None):
        self.reason = reason
        self.position = f"{name}:line {line}" if line else name
        super().__init__(f"{self.position}: {reason}")


class _Node:
    __slots__ = ("tag", "attrs", "children", "line")

    def __init__(self, tag: str, attrs: dict, line: int):
        self.tag, self.attrs, self.children, self.line = tag, attrs, [], line

    @property
    def ns(self) -> str:
        return self.tag.rsplit("}", 1)[0] if "}" in self.tag else ""

    @property
    def local(self) -> str:
        return self.tag.rsplit("}", 1)[-1]


def _parse(data: bytes, name: str) -> _Node:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = []
    root: list[_Node] = []
    skip = [0]  # depth inside an XHTML div (its content is not kept)

    def refuse(*_args):
        raise FhirXmlError(
            "invalid XML: DOCTYPE/entity declarations are refused", name, parser.CurrentLineNumber
        )

    def start(tag, attrs):
        if skip[0] or tag == f"{XHTML_NS}}}div":
            skip[0] += 1
            return
        node = _Node(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def end(_tag):
        if skip[0]:
            skip[0] -= 1
        else:
            stack.pop()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise FhirXmlError(
            f"invalid XML: not well-formed ({expat.ErrorString(exc.code)})", name, exc.lineno
        ) from None
    return root[0]


def parse_resource(data: bytes, name: str) -> dict:
    """One XML document (resource or Bundle) as its FHIR JSON dict."""
    root = _parse(data, name)
    return _resource(root, name)


def _resource(node: _Node, name: str) -> dict:
    if node.ns != FHIR_NS or not node.local[:1].isupper():
        raise FhirXmlError(
            f"invalid XML: root element is not a FHIR resource in namespace {FHIR_NS}",
            name,
            node.line,
        )
    out: dict = {"resourceType": node.local}
    _fill(out, node, node.local, name)
    return out


def _fill(out: dict, node: _Node, path: str, name: str) -> None:
    """Add ``node``'s child elements to ``out`` (a JSON object)."""
    values: dict[str, list] = {}
    extras: dict[str, list] = {}
    for child in node.children:
        if child.ns != FHIR_NS:
            raise FhirXmlError(
                f"invalid XML: element outside the FHIR namespace in {path}", name, child.line
            )
        key = child.local
        value, extra = _element(child, f"{path}.{key}", name)
        values.setdefault(key, []).append(value)
        extras.setdefault(key, []).append(extra)
    for key, vals in values.items():
        many = len(vals) > 1 or key in ALWAYS_LISTS or f"{path}.{key}" in LIST_PATHS
        if any(v is not None for v in vals):
            out[key] = vals if many else vals[0]
        if any(e is not None for e in extras[key]):
            out[f"_{key}"] = extras[key] if many else extras[key][0]


def _element(node: _Node, path: str, name: str) -> tuple[object, dict | None]:
    """(JSON value, ``_name`` object or None) for one element."""
    kids = node.children
    if node.local in WRAPPERS and len(kids) == 1 and kids[0].local[:1].isupper():
        return _resource(kids[0], name), None
    if "value" in node.attrs or node.local in PRIMITIVES:
        extra: dict = {}
        if "id" in node.attrs:
            extra["id"] = node.attrs["id"]
        _fill(extra, node, path, name)
        return node.attrs.get("value"), (extra or None)
    obj: dict = {}
    if "id" in node.attrs:
        obj["id"] = node.attrs["id"]
    if "url" in node.attrs:
        obj["url"] = node.attrs["url"]
    _fill(obj, node, _datatype_path(path), name)
    return obj, None


def _datatype_path(path: str) -> str:
    """Paths into extensions restart: an extension's content is not a resource element."""
    if path.endswith(".extension") or path.endswith(".modifierExtension"):
        return "Extension"
    return path
