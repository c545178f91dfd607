from . import test_order_workflow
from . import test_order_security
from . import test_tours
