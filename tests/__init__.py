from . import test_order_workflow
from . import test_order_security
