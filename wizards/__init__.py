from . import service_order_submit
from . import service_order_review
