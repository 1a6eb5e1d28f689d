"""All tables, imported in one place so metadata (and Alembic) sees every one."""

from sqlmodel import SQLModel

from agentconsole.store.models.agents import Agent, Event
from agentconsole.store.models.commerce import (
    Order,
    OrderLine,
    OrderReturn,
    Refund,
    Shipment,
    ShopStore,
    StoreCustomer,
    SyncCursor,
)
from agentconsole.store.models.conversations import (
    Conversation,
    ConversationNote,
    ConversationOrder,
    ConversationTag,
)
from agentconsole.store.models.customers import (
    Contact,
    Customer,
    CustomerIdentity,
    CustomerTag,
    MergeSuggestion,
)
from agentconsole.store.models.mail import (
    Attachment,
    MailAccount,
    Mailbox,
    Message,
    MessageLocation,
    PendingOp,
)
from agentconsole.store.models.outbox import OutboxItem
from agentconsole.store.models.replies import Draft, ReplyTemplate

metadata = SQLModel.metadata

__all__ = [
    "Agent",
    "Attachment",
    "Contact",
    "Conversation",
    "ConversationNote",
    "ConversationOrder",
    "ConversationTag",
    "Customer",
    "CustomerIdentity",
    "CustomerTag",
    "Draft",
    "Event",
    "MailAccount",
    "Mailbox",
    "Message",
    "MergeSuggestion",
    "MessageLocation",
    "Order",
    "OrderLine",
    "OrderReturn",
    "OutboxItem",
    "PendingOp",
    "Refund",
    "ReplyTemplate",
    "Shipment",
    "ShopStore",
    "StoreCustomer",
    "SyncCursor",
    "metadata",
]
