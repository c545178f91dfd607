from . import test_order_workflow
from . import test_order_security
from . import test_field_execution
from . import test_documents
from . import test_performance
