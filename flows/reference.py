"""Amazon Connect's flow language reference, as data.

Each entry restates one page of the flow language reference in the Amazon Connect API Reference
(https://docs.aws.amazon.com/connect/latest/APIReference/flow-language.html): the action's
Parameters keys, the errors it defines, whether it takes Conditions, the flow types and channels
its "Restrictions" section allows, and the numeric limits its parameter object states.

Where the text comes from. Most pages were read in the last version of
github.com/awsdocs/amazon-connect-admin-guide that still held them (the parent of commit
9342a9b, February 2023; the pages were then published under .../adminguide/ and now live at
the same names under .../APIReference/), and checked against today's pages where the docs search
index holds them. Where today's page differs, today's page wins, and the entry says so. The
pages added since 2023 (InvokeFlowModule, EndFlowModuleExecution, UpdateContactData, ShowView,
UpdateFlowAttributes) were read from today's docs only.

How the pages are read, so nothing here is invented:

* ``required`` holds only keys a page explicitly calls required ("[Required]", "must be
  present"). Most pages mark optional keys and leave the others unmarked; an unmarked key is
  put in ``optional``, so a checker built on this errs on the side of accepting a flow.
* ``exclusive`` holds the "may not be specified if X is also specified" groups.
* ``flow_types`` is None where a page allows every flow type or says nothing. The pages name
  five kinds of flow: inbound ("contact flows"), transfer (to agent, to queue), whisper
  (customer, agent, outbound), hold (customer, agent) and customer queue. None of the pages
  written before flow modules and campaign flows existed names those two, so where such a page
  restricts, FLOW_MODULE and CAMPAIGN are left allowed (``_UNNAMED``): the page does not say.
* ``voice`` is False only where a page says the action works on the chat channel alone.
* ``limits`` holds only ranges the page bounds on both sides; a lower bound alone ("must be
  larger than zero") is noted in a comment instead.
"""

from __future__ import annotations

from dataclasses import dataclass

_API = "https://docs.aws.amazon.com/connect/latest/APIReference/"

# https://docs.aws.amazon.com/connect/latest/APIReference/flow-language-example.html:
# "Currently the only supported version is 2019-10-30."
VERSION = "2019-10-30"

# https://docs.aws.amazon.com/connect/latest/APIReference/flow-language-example.html:
# "A single Flow may have no more than 250 Actions defined."
MAX_ACTIONS = 250

# https://docs.aws.amazon.com/connect/latest/APIReference/flow-language-actions.html:
# "This Identifier can be up to 50 characters long, and can include any characters (including
# unicode and spaces)", except the characters and strings below.
MAX_IDENTIFIER_LENGTH = 50
FORBIDDEN_IDENTIFIER_CHARACTERS = frozenset("%:(\\/)=$,;[]{}")
RESERVED_IDENTIFIERS = frozenset(
    {
        "__proto__",
        "constructor",
        "__defineGetter__",
        "__defineSetter__",
        "toString",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "valueOf",
    }
)

# https://docs.aws.amazon.com/connect/latest/APIReference/flow-language-actions.html:
# "Conditions may be nested no more than five Conditions deep, and a single Condition may not
# contain more than 50 sub-Conditions".
MAX_CONDITION_DEPTH = 5
MAX_SUB_CONDITIONS = 50
# Same page, "List of Operators": each takes one string operand.
OPERATORS = frozenset(
    {
        "Equals",
        "TextStartsWith",
        "TextEndsWith",
        "TextContains",
        "NumberGreaterThan",
        "NumberGreaterOrEqualTo",
        "NumberLessThan",
        "NumberLessOrEqualTo",
    }
)
# Same page: besides its own errors, each action supports "the following commonly supported
# errors: NoMatchingError ... NoMatchingCondition". ``ActionSpec.errors`` lists only what each
# action's page names; a checker that wants the page's wider rule adds these.
COMMON_ERRORS = frozenset({"NoMatchingError", "NoMatchingCondition"})

# https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateContactFlow.html: "Content
# ... Length Constraints: Minimum length of 1. Maximum length of 256000."
MAX_CONTENT_LENGTH = 256000

# The ContactFlowType enum, https://docs.aws.amazon.com/connect/latest/APIReference/
# API_ContactFlowTypeCondition.html: CONTACT_FLOW | CUSTOMER_QUEUE | CUSTOMER_HOLD |
# CUSTOMER_WHISPER | AGENT_HOLD | AGENT_WHISPER | OUTBOUND_WHISPER | AGENT_TRANSFER |
# QUEUE_TRANSFER | CAMPAIGN. Older SDKs list CreateContactFlow's Type without CAMPAIGN; the
# current enum has it. FLOW_MODULE is not one of them (modules are made with
# CreateContactFlowModule) but is the type flows/definitions/manifest.json gives a module.
CONTACT_FLOW_TYPES = frozenset(
    {
        "CONTACT_FLOW",
        "CUSTOMER_QUEUE",
        "CUSTOMER_HOLD",
        "CUSTOMER_WHISPER",
        "AGENT_HOLD",
        "AGENT_WHISPER",
        "OUTBOUND_WHISPER",
        "AGENT_TRANSFER",
        "QUEUE_TRANSFER",
        "CAMPAIGN",
    }
)
FLOW_TYPES = CONTACT_FLOW_TYPES | {"FLOW_MODULE"}

# The kinds of flow the Restrictions sections name.
_INBOUND = frozenset({"CONTACT_FLOW"})
_TRANSFER = frozenset({"AGENT_TRANSFER", "QUEUE_TRANSFER"})
_WHISPER = frozenset({"CUSTOMER_WHISPER", "AGENT_WHISPER", "OUTBOUND_WHISPER"})
_HOLD = frozenset({"CUSTOMER_HOLD", "AGENT_HOLD"})
_QUEUE = frozenset({"CUSTOMER_QUEUE"})
# Named by none of the older pages: left allowed wherever such a page restricts (see above).
_UNNAMED = frozenset({"FLOW_MODULE", "CAMPAIGN"})

# The prompt a participant action plays: the pages say of each "May not be specified if ... is
# also specified".
_PROMPT = frozenset({"PromptId", "Text", "SSML"})
_QUEUE_OR_AGENT = frozenset({"QueueId", "AgentId"})
_PROFILE = frozenset({"ProfileRequestData", "ProfileResponseData"})


@dataclass(frozen=True)
class ActionSpec:
    type: str
    required: frozenset[str]  # Parameters keys that must be present
    optional: frozenset[str]  # keys that may be present
    exclusive: tuple[frozenset[str], ...] = ()  # groups of which at most one may be present
    one_of: tuple[frozenset[str], ...] = ()  # groups of which exactly one must be present
    errors: frozenset[str] = frozenset()  # the ErrorTypes the action's page names
    conditions: bool = False  # whether Transitions.Conditions are allowed
    flow_types: frozenset[str] | None = None  # None: every flow type, or the page does not say
    voice: bool = True  # whether a voice call can meet it (False for chat-only actions)
    limits: tuple[tuple[str, int, int], ...] = ()  # (parameter, min, max), both inclusive
    source: str = ""  # the doc page URL


_SPECS: tuple[ActionSpec, ...] = (
    # --- participant actions ------------------------------------------------------------------
    ActionSpec(
        type="ConnectParticipantWithLexBot",
        required=frozenset(),
        # "LexSessionAttributes" is unmarked on the page; left optional.
        optional=_PROMPT | {"Media", "LexBot", "LexV2Bot", "LexSessionAttributes"},
        exclusive=(_PROMPT,),
        # "Provide either LexBot or LexV2Bot object depending on the Amazon Lex version".
        one_of=(frozenset({"LexBot", "LexV2Bot"}),),
        errors=frozenset({"NoMatchingCondition", "NoMatchingError"}),
        conditions=True,  # the result is the bot's Intent; Equals only
        # "available only in contact flows, transfer flows, and customer queue flows. It is not
        # available in whisper flows or hold flows."
        flow_types=_INBOUND | _TRANSFER | _QUEUE | _UNNAMED,
        source=_API + "participant-actions-connectparticipantwithlexbot.html",
    ),
    ActionSpec(
        type="DisconnectParticipant",
        required=frozenset(),
        optional=frozenset(),  # "No parameters are expected."
        errors=frozenset(),  # "None."
        # "None. This action can be used everywhere."
        source=_API + "participant-actions-disconnectparticipant.html",
    ),
    ActionSpec(
        type="GetParticipantInput",
        required=frozenset(),
        # InputTimeLimitSeconds: "must be a valid integer larger than zero" (no upper bound).
        # InputValidation: "required if and only if StoreInput is True", so not always.
        optional=_PROMPT
        | {
            "Media",
            "InputTimeLimitSeconds",
            "StoreInput",
            "InputValidation",
            "InputEncryption",
            "DTMFConfiguration",
        },
        exclusive=(_PROMPT,),
        # NoMatchingCondition only when StoreInput is False; InvalidPhoneNumber only when it is
        # True with PhoneNumberValidation. The page names no InputTimeLimitExceeded.
        errors=frozenset({"NoMatchingCondition", "NoMatchingError", "InvalidPhoneNumber"}),
        conditions=True,  # when StoreInput is not "True"; Equals on one of 0-9, *, #
        # "can be used in contact flows, transfer flows, and customer queue flows but not in
        # whisper flows or hold flows." Also: "only supported on the voice channel".
        flow_types=_INBOUND | _TRANSFER | _QUEUE | _UNNAMED,
        source=_API + "participant-actions-getparticipantinput.html",
    ),
    ActionSpec(
        type="MessageParticipant",
        required=frozenset(),
        optional=_PROMPT | {"Media"},
        exclusive=(_PROMPT,),
        errors=frozenset({"NoMatchingError"}),
        conditions=False,  # "None. No conditions are supported."
        # "supported in contact flows, transfer flows, whisper flows, and customer queue flows.
        # It is not supported in hold flows."
        flow_types=_INBOUND | _TRANSFER | _WHISPER | _QUEUE | _UNNAMED,
        source=_API + "participant-actions-messageparticipant.html",
    ),
    ActionSpec(
        type="MessageParticipantIteratively",
        required=frozenset(),  # "Messages" is unmarked; left optional
        optional=frozenset({"Messages", "InterruptFrequencySeconds"}),
        errors=frozenset({"NoMatchingError"}),
        conditions=True,  # Equals "MessagesInterrupted" only
        # "supported in Customer Queue, Customer Hold, and Agent Hold flows." On chat it takes
        # the error branch, so a voice call is what it is for.
        flow_types=_QUEUE | _HOLD | _UNNAMED,
        source=_API + "participant-actions-messageparticipantiteratively.html",
    ),
    ActionSpec(
        type="ShowView",
        required=frozenset(),
        optional=frozenset(
            {"ViewResource", "InvocationTimeLimitSeconds", "ViewData", "SensitiveDataConfiguration"}
        ),
        errors=frozenset({"NoMatchingError", "NoMatchingCondition", "TimeLimitExceeded"}),
        conditions=True,  # "The available conditions will be dependent on the View resource"
        # The page says both "can be used in inbound flows and customer queue flows" and "can
        # only be used in inbound contact flows"; the wider of the two is kept.
        flow_types=_INBOUND | _QUEUE | _UNNAMED,
        voice=False,  # "This action is only supported on the chat channel."
        source=_API + "participant-actions-showview.html",
    ),
    ActionSpec(
        type="TransferParticipantToThirdParty",
        required=frozenset(),
        optional=frozenset(
            {
                "ThirdPartyPhoneNumber",
                "ThirdPartyConnectionTimeLimitSeconds",
                "ContinueFlowExecution",
                "ThirdPartyDTMFDigits",
                "CallerId",
            }
        ),
        # ConnectionTimeLimitExceeded and CallFailed only when ContinueFlowExecution is True.
        errors=frozenset({"ConnectionTimeLimitExceeded", "CallFailed", "NoMatchingError"}),
        conditions=False,  # "None. Conditions are not supported."
        # "only allowed by the Voice channel ... allowed in contact flows, transfer flows, and
        # customer queue flows."
        flow_types=_INBOUND | _TRANSFER | _QUEUE | _UNNAMED,
        # "An integer, between 0 and 600 (inclusive)". ThirdPartyDTMFDigits: "50 or fewer
        # characters" (a length, not a number).
        limits=(("ThirdPartyConnectionTimeLimitSeconds", 0, 600),),
        source=_API + "participant-actions-transferparticipanttothirdparty.html",
    ),
    # --- contact actions ----------------------------------------------------------------------
    ActionSpec(
        type="CompleteOutboundCall",
        required=frozenset(),
        optional=frozenset({"CallerId"}),
        errors=frozenset(),  # "None."
        # "can be used only when the contact is in the process of making an outbound call": a
        # state of the contact, not a flow type, so flow_types stays None.
        source=_API + "contact-actions-completeoutboundcall.html",
    ),
    ActionSpec(
        type="DequeueContactAndTransferToQueue",
        required=frozenset(),
        optional=_QUEUE_OR_AGENT,
        exclusive=(_QUEUE_OR_AGENT,),
        errors=frozenset({"QueueAtCapacity", "NoMatchingError"}),
        # "only supported in the customer queue flow. It is not supported in any other type of
        # flow." The page excludes every other type, so _UNNAMED is not added.
        flow_types=_QUEUE,
        source=_API + "contact-actions-dequeuecontactandtransfertoqueue.html",
    ),
    ActionSpec(
        type="EndFlowModuleExecution",
        required=frozenset(),
        optional=frozenset(),  # "{ }"
        errors=frozenset(),  # "None"
        flow_types=frozenset({"FLOW_MODULE"}),  # "available only in flow modules."
        source=_API + "endflowmoduleexecution.html",
    ),
    ActionSpec(
        type="InvokeFlowModule",
        required=frozenset(),
        optional=frozenset({"FlowModuleId"}),
        errors=frozenset({"NoMatchingError"}),
        # "supported by all channels and only supports Inbound flow types." Written after
        # modules existed and saying "only", so _UNNAMED is not added.
        flow_types=_INBOUND,
        source=_API + "flow-language-actions-invoke-flow-module.html",
    ),
    ActionSpec(
        type="TransferContactToAgent",
        required=frozenset(),
        optional=frozenset(),  # "No parameters are expected."
        errors=frozenset(),  # "None."
        # "supported in only transfer to agent and transfer to queue flows."
        flow_types=_TRANSFER | _UNNAMED,
        source=_API + "contact-actions-transfercontacttoagent.html",
    ),
    ActionSpec(
        type="TransferContactToQueue",
        required=frozenset(),
        optional=frozenset(),  # "No parameters are expected."
        errors=frozenset({"QueueAtCapacity", "NoMatchingError"}),
        # "supported in inbound contact flows and transfer flows. It is not supported in whisper
        # flows, customer queue flows, or hold flows."
        flow_types=_INBOUND | _TRANSFER | _UNNAMED,
        source=_API + "contact-actions-transfercontacttoqueue.html",
    ),
    ActionSpec(
        type="UpdateContactAttributes",
        required=frozenset(),
        # Today's page adds TargetContact: "either "Current" or "Related"".
        optional=frozenset({"Attributes", "TargetContact"}),
        errors=frozenset({"NoMatchingError"}),
        # "None. This can be used in any type of flow and any channel."
        source=_API + "contact-actions-updatecontactattributes.html",
    ),
    ActionSpec(
        type="UpdateContactCallbackNumber",
        required=frozenset(),
        optional=frozenset({"CallbackNumber"}),
        errors=frozenset({"InvalidCallbackNumber", "CallbackNumberNotDialable"}),
        # "supported only in contact flows, transfer flows, and customer queue flows. This is
        # not supported in whispers or hold flows."
        flow_types=_INBOUND | _TRANSFER | _QUEUE | _UNNAMED,
        source=_API + "contact-actions-updatecontactcallbacknumber.html",
    ),
    ActionSpec(
        type="UpdateContactData",
        # "TargetContact": "[Required] ... "Current" or "Related" are the only valid values."
        required=frozenset({"TargetContact"}),
        optional=frozenset(
            {
                "Name",
                "Description",
                "LanguageCode",
                "CustomerId",
                "References",
                "IsVoiceIdStreamingEnabled",
                "IsVoiceAuthenticationEnabled",
                "IsFraudDetectionEnabled",
                "VoiceAuthenticationThreshold",
                "VoiceAuthenticationResponseTime",
                "FraudDetectionThreshold",
                "WatchlistId",
                "WisdomSessionArn",
            }
        ),
        errors=frozenset({"NoMatchingError"}),
        # "supported on all channels and in all flow types."
        # The thresholds are strings holding numbers. The page also gives WatchlistId "between
        # 0 and 100", which an identifier can hardly mean; it is left out.
        limits=(
            ("VoiceAuthenticationThreshold", 0, 100),
            ("VoiceAuthenticationResponseTime", 5, 10),
            ("FraudDetectionThreshold", 0, 100),
        ),
        source=_API + "contact-actions-updatecontactdata.html",
    ),
    ActionSpec(
        type="UpdateContactEventHooks",
        required=frozenset(),
        # "Only one entry may be present in this map" (inside EventHooks).
        optional=frozenset({"EventHooks"}),
        errors=frozenset({"NoMatchingError"}),
        # "This is supported in all types of flows."
        source=_API + "contact-actions-updatecontacteventhooks.html",
    ),
    ActionSpec(
        type="UpdateContactMediaStreamingBehavior",
        required=frozenset(),
        optional=frozenset({"MediaStreamingState", "Participants", "MediaStreamType"}),
        errors=frozenset({"NoMatchingError"}),
        # "supported in contact flows, customer queue flows, transfer flows, and whisper flows.
        # It is not supported in hold flows. This is supported only by the voice channel."
        flow_types=_INBOUND | _QUEUE | _TRANSFER | _WHISPER | _UNNAMED,
        source=_API + "contact-actions-updatecontactmediastreamingbehavior.html",
    ),
    ActionSpec(
        type="UpdateContactRecordingBehavior",
        required=frozenset(),
        optional=frozenset({"RecordingBehavior", "AnalyticsBehavior"}),
        errors=frozenset(),  # "None."
        # "supported only in contact flows, transfer flows, outbound whispers, and customer
        # queue flows. This is not supported in agent/customer whispers or hold flows."
        flow_types=_INBOUND | _TRANSFER | _QUEUE | {"OUTBOUND_WHISPER"} | _UNNAMED,
        source=_API + "contact-actions-updatecontactrecordingbehavior.html",
    ),
    ActionSpec(
        type="UpdateContactRoutingBehavior",
        required=frozenset(),
        # QueuePriority: "must be larger than zero" (no upper bound). The page names no other
        # key (the 2023 version mentioned a RoutingProficiencies it never defined).
        optional=frozenset({"QueuePriority", "QueueTimeAdjustmentSeconds"}),
        exclusive=(frozenset({"QueuePriority", "QueueTimeAdjustmentSeconds"}),),
        errors=frozenset(),  # "None."
        # "supported only in inbound contact flows. It is not supported in transfer flows,
        # whisper flows, customer queue flows, or hold flows."
        flow_types=_INBOUND | _UNNAMED,
        source=_API + "contact-actions-updatecontactroutingbehavior.html",
    ),
    ActionSpec(
        type="UpdateContactTargetQueue",
        required=frozenset(),
        optional=_QUEUE_OR_AGENT,
        exclusive=(_QUEUE_OR_AGENT,),
        errors=frozenset({"NoMatchingError"}),
        # "supported only in inbound contact flows and transfer flows. It is not supported in
        # whisper flows, hold flows, or customer queue flows."
        flow_types=_INBOUND | _TRANSFER | _UNNAMED,
        source=_API + "contact-actions-updatecontacttargetqueue.html",
    ),
    ActionSpec(
        type="UpdateContactTextToSpeechVoice",
        required=frozenset(),
        # TextToSpeechStyle: today's page ("None, Coversational, or Newscaster").
        optional=frozenset({"TextToSpeechVoice", "TextToSpeechEngine", "TextToSpeechStyle"}),
        # Today's page: "NoMatchingError - if no other Error matches. Must always be defined."
        # (the 2023 page said "None").
        errors=frozenset({"NoMatchingError"}),
        # "None. This action is supported in all flow types, and across all channels."
        source=_API + "contact-actions-updatecontacttexttospeechvoice.html",
    ),
    ActionSpec(
        type="UpdatePreviousContactParticipantState",
        required=frozenset(),
        optional=frozenset({"PreviousContactParticipantState"}),
        errors=frozenset({"NoMatchingError"}),
        # "supported only in inbound contact flows and transfer flows."
        flow_types=_INBOUND | _TRANSFER | _UNNAMED,
        source=_API + "contact-actions-updatepreviouscontactparticipantstate.html",
    ),
    # --- flow control actions -----------------------------------------------------------------
    ActionSpec(
        type="CheckHoursOfOperation",
        required=frozenset(),
        optional=frozenset({"HoursOfOperationId"}),
        errors=frozenset({"NoMatchingError"}),
        conditions=True,  # exactly Equals True and Equals False
        # "available in inbound flows, transfer flows, and customer queue flows. It is not
        # available to hold flows or to whisper flows."
        flow_types=_INBOUND | _TRANSFER | _QUEUE | _UNNAMED,
        source=_API + "flow-control-actions-checkhoursofoperation.html",
    ),
    ActionSpec(
        type="CheckMetricData",
        required=frozenset(),  # MetricType is unmarked; left optional
        optional=frozenset({"MetricType"}) | _QUEUE_OR_AGENT,
        exclusive=(_QUEUE_OR_AGENT,),
        # NoMatchingCondition only for OldestContactInQueueAgeSeconds / NumberOfContactsInQueue.
        errors=frozenset({"NoMatchingError", "NoMatchingCondition"}),
        conditions=True,
        # "only usable in flows, queue and agent transfers, and customer queue flows. It is not
        # available in any type of whisper or hold flows."
        flow_types=_INBOUND | _TRANSFER | _QUEUE | _UNNAMED,
        source=_API + "flow-control-actions-checkmetricdata.html",
    ),
    ActionSpec(
        type="CheckOutboundCallStatus",
        required=frozenset(),
        optional=frozenset(),  # "{ }"
        errors=frozenset({"NoMatchingError"}),
        conditions=True,  # Equals CallAnswered / VoicemailBeep / VoicemailNoBeep / NotDetected
        # "works with outbound campaigns only": a kind of contact, not a flow type, so
        # flow_types stays None.
        source=_API + "flow-control-actions-checkoutboundcallstatus.html",
    ),
    ActionSpec(
        type="CheckVoiceId",
        required=frozenset(),
        optional=frozenset({"CheckVoiceIdOption"}),
        errors=frozenset({"NoMatchingError"}),
        # The page lists results to branch on but does not say "Conditions are supported";
        # left allowed.
        conditions=True,
        # "Only supported for voice channel"; no flow type is named.
        source=_API + "flow-control-actions-checkvoiceid.html",
    ),
    ActionSpec(
        type="Compare",
        required=frozenset(),
        optional=frozenset({"ComparisonValue"}),
        errors=frozenset({"NoMatchingCondition"}),
        conditions=True,
        # "This action is available in every type of flow."
        source=_API + "flow-control-actions-compare.html",
    ),
    ActionSpec(
        type="DistributeByPercentage",
        required=frozenset(),
        optional=frozenset(),  # "{ }"
        errors=frozenset({"NoMatchingCondition"}),
        conditions=True,  # a chain of NumberLessThan comparisons, none above 100
        # "available in inbound flows, transfer flows, and customer queue flows. It is not
        # available to hold flows or to whisper flows."
        flow_types=_INBOUND | _TRANSFER | _QUEUE | _UNNAMED,
        source=_API + "flow-control-actions-distributebypercentage.html",
    ),
    ActionSpec(
        type="EndFlowExecution",
        required=frozenset(),
        optional=frozenset(),  # "{ }"
        errors=frozenset(),  # "None. This is always a terminal action."
        # "available only in whisper flows and customer queue flows. It is not available in
        # flows, hold flows, or transfer flows."
        flow_types=_WHISPER | _QUEUE | _UNNAMED,
        source=_API + "flow-control-actions-endflowexecution.html",
    ),
    ActionSpec(
        type="GetMetricData",
        required=frozenset(),
        optional=_QUEUE_OR_AGENT | {"QueueChannel"},
        exclusive=(_QUEUE_OR_AGENT,),
        errors=frozenset({"NoMatchingError"}),
        conditions=False,  # "None. No conditions are supported."
        # "This action is available in every type of flow."
        source=_API + "flow-control-actions-getmetricdata.html",
    ),
    ActionSpec(
        type="Loop",
        required=frozenset(),
        optional=frozenset({"LoopCount"}),
        errors=frozenset(),  # "None."
        conditions=True,  # exactly Equals ContinueLooping and Equals DoneLooping
        # "This is supported in every type of flow."
        # "must be between 0 and 100 (inclusive)".
        limits=(("LoopCount", 0, 100),),
        source=_API + "flow-control-actions-loop.html",
    ),
    ActionSpec(
        type="StartVoiceIdStream",
        required=frozenset(),
        optional=frozenset(),  # "{ }"
        errors=frozenset({"NoMatchingError"}),
        # "Only supported for the voice channel"; no flow type is named.
        source=_API + "flow-control-actions-startvoiceidstream.html",
    ),
    ActionSpec(
        type="TransferToFlow",
        required=frozenset(),
        optional=frozenset({"ContactFlowId"}),
        errors=frozenset({"NoMatchingError"}),
        # "available in inbound flows and transfer flows. It is not available to hold flows,
        # customer queue flows, or whisper flows."
        flow_types=_INBOUND | _TRANSFER | _UNNAMED,
        source=_API + "flow-control-actions-transfertoflow.html",
    ),
    ActionSpec(
        type="UpdateFlowAttributes",
        required=frozenset(),
        optional=frozenset({"FlowAttributes"}),
        errors=frozenset(),  # "None."
        # "supported on all channels and in all flow types."
        source=_API + "flow-control-actions-updateflowattributes.html",
    ),
    ActionSpec(
        type="UpdateFlowLoggingBehavior",
        required=frozenset(),
        optional=frozenset({"FlowLoggingBehavior"}),
        errors=frozenset(),  # "None."
        # "This action is available in every type of flow."
        source=_API + "flow-control-actions-updateflowloggingbehavior.html",
    ),
    ActionSpec(
        type="Wait",
        required=frozenset(),
        optional=frozenset({"TimeoutSeconds", "Events"}),
        errors=frozenset({"NoMatchingError"}),
        conditions=True,  # Equals WaitCompleted, and every listed event
        # "supported in every type of flow, but is supported only by the chat channel."
        voice=False,
        # "If defined statically, this must be a positive integer value no greater than 604800
        # (seven days)".
        limits=(("TimeoutSeconds", 1, 604800),),
        source=_API + "flow-control-actions-wait.html",
    ),
    # --- interactions -------------------------------------------------------------------------
    ActionSpec(
        type="CreateCallbackContact",
        required=frozenset(),
        # MaximumConnectionAttempts: "Must be larger than zero" (no upper bound).
        optional=_QUEUE_OR_AGENT
        | {"InitialCallDelaySeconds", "MaximumConnectionAttempts", "RetryDelaySeconds"},
        # AgentId: "If QueueId is specified, this may not be specified."
        exclusive=(_QUEUE_OR_AGENT,),
        errors=frozenset({"NoMatchingError"}),
        conditions=False,  # "None. No conditions are supported."
        # "supported in contact flows, transfer flows, and customer queue flows. It is not
        # supported in whisper flows or hold flows."
        flow_types=_INBOUND | _TRANSFER | _QUEUE | _UNNAMED,
        # "Must be larger than 0, no greater than 259,200 (three days), and an integer."
        limits=(("InitialCallDelaySeconds", 1, 259200), ("RetryDelaySeconds", 1, 259200)),
        source=_API + "interactions-createcallbackcontact.html",
    ),
    ActionSpec(
        type="CreateCustomerProfile",
        required=frozenset(),
        optional=_PROFILE,  # "All of these fields are optional."
        errors=frozenset({"NoMatchingError"}),
        # The page has no Restrictions section.
        source=_API + "interactions-createcustomerprofile.html",
    ),
    ActionSpec(
        type="GetCustomerProfile",
        # "A search key (phone number or email) must be present", and the search keys live in
        # ProfileRequestData.
        required=frozenset({"ProfileRequestData"}),
        optional=frozenset({"ProfileResponseData"}),
        errors=frozenset({"MultipleFoundError", "NoneFoundError", "NoMatchingError"}),
        # The page has no Restrictions section.
        source=_API + "interactions-getcustomerprofile.html",
    ),
    ActionSpec(
        type="UpdateCustomerProfile",
        required=frozenset(),
        optional=_PROFILE,  # "All of these fields are optional."
        errors=frozenset({"NoMatchingError"}),
        # The page has no Restrictions section.
        source=_API + "interactions-updatecustomerprofile.html",
    ),
    ActionSpec(
        type="InvokeLambdaFunction",
        required=frozenset(),  # no key is marked either way
        # InvocationType and ResponseValidation: today's page.
        optional=frozenset(
            {
                "LambdaFunctionARN",
                "InvocationTimeLimitSeconds",
                "InvocationType",
                "LambdaInvocationAttributes",
                "ResponseValidation",
            }
        ),
        errors=frozenset({"NoMatchingError"}),
        conditions=False,  # "None. Conditions are not supported."
        # "None. This action is supported by all channels and in all types of flows." (The
        # Administrator Guide's block page lists eight flow types, without outbound whisper;
        # the action page is followed.)
        # "Must be greater than 0, no larger than 8, and an integer. Must be set statically."
        limits=(("InvocationTimeLimitSeconds", 1, 8),),
        source=_API + "interactions-invokelambdafunction.html",
    ),
)

ACTIONS: dict[str, ActionSpec] = {spec.type: spec for spec in _SPECS}


def spec(action_type: str) -> ActionSpec | None:
    """The reference entry for ``action_type``, or None when the reference has none."""
    return ACTIONS.get(action_type)
