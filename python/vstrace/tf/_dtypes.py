"""DType, Dimension and TensorShape: TF 1.15's metadata classes (no values)."""

# enum vs_dtype of include/vs/event.h, in order
_NAMES = ["float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
          "uint8", "uint16", "uint32", "uint64", "bool", "string", "complex64", "complex128",
          "resource", "variant"]


class DType(object):
    """tf.DType: a name and the libvs enum value."""
    __slots__ = ("name", "_vs")

    def __init__(self, name, vs):
        self.name = name
        self._vs = vs

    @property
    def base_dtype(self):
        return self

    @property
    def is_floating(self):
        return self.name in ("float16", "bfloat16", "float32", "float64")

    @property
    def is_integer(self):
        return self.name.startswith(("int", "uint"))

    @property
    def is_bool(self):
        return self.name == "bool"

    @property
    def is_complex(self):
        return self.name.startswith("complex")

    @property
    def as_datatype_enum(self):
        return self._vs

    def __repr__(self):
        return "tf.%s" % self.name

    def __str__(self):
        return "<dtype: '%s'>" % self.name

    def __eq__(self, other):
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return self._vs


_BY_NAME = {}
_BY_VS = {}
for _i, _n in enumerate(_NAMES):
    _d = DType(_n, _i + 1)
    _BY_NAME[_n] = _d
    _BY_VS[_i + 1] = _d
del _i, _n, _d
_ALIASES = {"float": "float32", "half": "float16", "double": "float64", "int": "int32",
            "long": "int64", "str": "string", "bytes": "string", "float32_ref": "float32"}

float16 = half = _BY_NAME["float16"]
bfloat16 = _BY_NAME["bfloat16"]
float32 = _BY_NAME["float32"]
float64 = double = _BY_NAME["float64"]
int8, int16, int32, int64 = (_BY_NAME[n] for n in ("int8", "int16", "int32", "int64"))
uint8, uint16, uint32, uint64 = (_BY_NAME[n] for n in ("uint8", "uint16", "uint32", "uint64"))
bool_ = _BY_NAME["bool"]
string = _BY_NAME["string"]
complex64, complex128 = _BY_NAME["complex64"], _BY_NAME["complex128"]
resource, variant = _BY_NAME["resource"], _BY_NAME["variant"]
qint8, quint8, qint32 = int8, uint8, int32


def as_dtype(x):
    """tf.as_dtype: a DType from a DType, a name, a Python type or a numpy dtype."""
    if isinstance(x, DType):
        return x
    if isinstance(x, str):
        n = _ALIASES.get(x, x)
        if n in _BY_NAME:
            return _BY_NAME[n]
    if x is float:
        return float32
    if x is int:
        return int32
    if x is bool:
        return bool_
    if x is str or x is bytes:
        return string
    name = getattr(x, "name", None) or getattr(x, "__name__", None)
    if isinstance(name, str) and _ALIASES.get(name, name) in _BY_NAME:
        return _BY_NAME[_ALIASES.get(name, name)]
    raise TypeError("Cannot convert value %r to a TensorFlow DType." % (x,))


def dtype_vs(x):
    """The libvs enum value for x (0 = None)."""
    return 0 if x is None else as_dtype(x)._vs


def dtype_from_vs(n):
    return _BY_VS.get(n)


class Dimension(object):
    """tf.Dimension (TF1 shapes index to Dimensions; .value is int or None)."""
    __slots__ = ("_value",)

    def __init__(self, value):
        if isinstance(value, Dimension):
            value = value.value
        self._value = None if value is None else int(value)

    @property
    def value(self):
        return self._value

    def __int__(self):
        if self._value is None:
            raise TypeError("int() argument must be a string, a bytes-like object or a number, "
                            "not 'NoneType'")
        return self._value

    __index__ = __int__

    def __repr__(self):
        return "Dimension(%r)" % (self._value,)

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __eq__(self, other):
        o = other.value if isinstance(other, Dimension) else other
        if self._value is None or o is None:
            return None
        return self._value == o

    def __ne__(self, other):
        e = self.__eq__(other)
        return None if e is None else not e

    def __hash__(self):
        return hash(self._value)

    def _op(self, other, f):
        o = other.value if isinstance(other, Dimension) else other
        if self._value is None or o is None:
            return Dimension(None)
        return Dimension(f(self._value, int(o)))

    def __add__(self, o):
        return self._op(o, lambda a, b: a + b)

    __radd__ = __add__

    def __sub__(self, o):
        return self._op(o, lambda a, b: a - b)

    def __rsub__(self, o):
        return self._op(o, lambda a, b: b - a)

    def __mul__(self, o):
        return self._op(o, lambda a, b: a * b)

    __rmul__ = __mul__

    def __floordiv__(self, o):
        return self._op(o, lambda a, b: a // b)

    def __truediv__(self, o):
        return self._op(o, lambda a, b: a // b)

    def __lt__(self, o):
        o = o.value if isinstance(o, Dimension) else o
        return None if self._value is None or o is None else self._value < o

    def __gt__(self, o):
        o = o.value if isinstance(o, Dimension) else o
        return None if self._value is None or o is None else self._value > o


def _dim(d):
    if isinstance(d, Dimension):
        return d.value
    if d is None or d == -1 and False:
        return None
    return None if d is None else int(d)


class TensorShape(object):
    """tf.TensorShape: None dims = unknown rank."""
    __slots__ = ("_dims",)

    def __init__(self, dims):
        if isinstance(dims, TensorShape):
            dims = dims._dims
        if dims is None:
            self._dims = None
        elif isinstance(dims, (int, Dimension)):
            self._dims = (_dim(dims),)
        else:
            self._dims = tuple(_dim(d) for d in dims)

    @property
    def dims(self):
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    @property
    def ndims(self):
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def as_list(self):
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self):
        return self._dims is not None and all(d is not None for d in self._dims)

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(Dimension(d) for d in self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return Dimension(None)
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return Dimension(self._dims[key])

    def __bool__(self):
        return self._dims is not None

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except TypeError:
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self._dims)

    def concatenate(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def merge_with(self, other):
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if len(self._dims) != len(other._dims):
            raise ValueError("Shapes %s and %s are not compatible" % (self, other))
        out = []
        for a, b in zip(self._dims, other._dims):
            if a is not None and b is not None and a != b:
                raise ValueError("Shapes %s and %s are not compatible" % (self, other))
            out.append(a if a is not None else b)
        return TensorShape(out)

    def is_compatible_with(self, other):
        try:
            self.merge_with(other)
            return True
        except ValueError:
            return False

    def assert_is_compatible_with(self, other):
        self.merge_with(other)

    def with_rank(self, rank):
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError("Shape %s must have rank %d" % (self, rank))
        return self

    def with_rank_at_least(self, rank):
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError("Shape %s must have rank at least %d" % (self, rank))
        return self

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return "TensorShape([%s])" % ", ".join("Dimension(%s)" % d for d in self._dims)

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return "(%s,)" % _s(self._dims[0])
        return "(%s)" % ", ".join(_s(d) for d in self._dims)

    def _vs(self):
        """The shape as _vs passes it: a tuple (None dims unknown) or '?'."""
        return "?" if self._dims is None else self._dims


def _s(d):
    return "?" if d is None else str(d)


def as_shape(x):
    if isinstance(x, TensorShape):
        return x
    return TensorShape(x)


def unknown_shape(rank=None):
    return TensorShape(None if rank is None else [None] * rank)


def shape_arg(x):
    """A shape keyword argument as _vs takes it (None = not given)."""
    if x is None:
        return None
    t = type(x)
    if t is list or t is tuple:
        for d in x:
            if type(d) is not int and d is not None:
                break
        else:
            return x
    if hasattr(x, "_shape_as_list_for_arg"):
        return x._shape_as_list_for_arg()
    return as_shape(x)._vs()
