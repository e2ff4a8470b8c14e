"""Everyday phrasings of the intents nearly every flow has and of common service tasks.

Pure data. Each entry says how to recognise the flow intent it belongs to (``cues``:
words weighed by how much they give the task away; ``role``: a handler shape such as
a global ``goto`` to an escalated end) and how customers really ask for it, so an
intent trimmed to one example still meets many ways of asking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Role = Literal["", "agent", "repeat", "help"]


# The intents nearly every flow has, whatever its business (the rest are tasks).
EVERYDAY_KEYS = frozenset(
    {"yes", "no", "agent", "repeat", "help", "stop", "thanks", "greeting", "goodbye"}
)


@dataclass(frozen=True)
class BankEntry:
    key: str
    cues: Mapping[str, float]  # word or "two words" -> weight
    phrases: tuple[str, ...]
    role: Role = ""


def _entry(key: str, cues: str, phrases: str, role: Role = "") -> BankEntry:
    """Cues as "word:weight, ...", phrases one per line."""
    table: dict[str, float] = {}
    for item in cues.split(","):
        word, _, weight = item.strip().rpartition(":")
        table[word] = float(weight)
    lines = tuple(line.strip() for line in phrases.strip().splitlines() if line.strip())
    return BankEntry(key, table, lines, role)


# fmt: off
BANK: tuple[BankEntry, ...] = (
    _entry("yes", "yes:3, yeah:2.5, yep:2.5, correct:2, right:1, sure:1.5, ok:1.5, affirm:3, "
           "confirm:2, agree:1.5, absolutely:1.5, please:0.3", """
        yes
        yeah
        yep
        yes please
        sure
        that's right
        correct
        yes that's correct
        absolutely
        ok
        okay yes
        sounds good
        go ahead
        yes it is
        yup
        that's it
        yes, that's the one
        definitely
        uh huh yes
        right, yes
    """),
    _entry("no", "no:3, nope:2.5, nah:2.5, wrong:1.5, deny:3, negative:2, incorrect:1.5, not:0.5",
           """
        no
        nope
        nah
        no thanks
        no that's wrong
        that's not right
        not really
        no, it isn't
        incorrect
        no it's not
        no thank you
        that's not it
        wrong
        no, don't
        not at all
        no, not that
    """),
    _entry("agent", "human:3, person:3, agent:3, someone:2, operator:2.5, staff:1.5, "
           "advisor:2, representative:2.5, real:1, speak:1, talk:1", """
        talk to a human
        can I speak to a real person
        agent
        human please
        get me a person
        I want to talk to someone
        is there a real person there
        put me through to someone
        operator
        connect me to an advisor
        let me speak to a representative
        I'd rather talk to a human being
        can I chat with an actual person
        transfer me to customer service
        speak to someone please
        real human
        I need to talk to a member of staff
        give me a person not a bot
    """, role="agent"),
    _entry("repeat", "repeat:3, again:2.5, pardon:2.5, catch:2, come again:2, say:1, what:0.5, "
           "understand:1", """
        say that again
        sorry, what?
        can you repeat that
        pardon?
        I didn't catch that
        what was that
        come again?
        could you say that again please
        repeat please
        one more time
        sorry I didn't understand
        what did you say
        can you say it again slower
        huh?
        what do you mean
        please repeat the question
    """, role="repeat"),
    _entry("help", "help:3, options:2, what can:2, how does:1.5, work:0.5, do:0.3, confused:1.5",
           """
        help
        what can you do
        what are my options
        how does this work
        I need help
        what can I ask
        I'm confused
        what do I do now
        help me please
        what are the choices
        how do I use this
        what is this for
        I don't know what to pick
        can you help me
    """, role="help"),
    _entry("stop", "cancel:1.5, stop:3, never mind:3, forget:2.5, quit:2.5, exit:2, start over:2,"
           " nevermind:3, abort:2", """
        stop
        never mind
        forget it
        cancel that
        I want to stop
        quit
        leave it
        nevermind
        forget about it
        stop please
        I changed my mind
        don't bother
        exit
        let's forget it
    """),
    _entry("thanks", "thank:3, thanks:3, cheers:2.5, appreciate:2, great:0.5", """
        thanks
        thank you
        cheers
        thanks a lot
        thank you so much
        great thanks
        much appreciated
        ta
        thanks for your help
        brilliant thank you
        lovely, thanks
        many thanks
    """),
    _entry("greeting", "hello:3, hi:3, hey:2.5, morning:2, afternoon:2, evening:1.5, greet:2",
           """
        hello
        hi
        hey
        hi there
        good morning
        hello there
        good afternoon
        hiya
        morning
        hey there
        hello, anyone there?
        good evening
    """),
    _entry("goodbye", "bye:3, goodbye:3, later:1.5, that's all:2, done:1, cya:2", """
        bye
        goodbye
        that's all
        see you
        bye for now
        that's everything
        all done
        thanks, bye
        cheers, bye
        I'm done
        nothing else
        ok bye
    """),
    _entry("order_status", "where:1, track:2.5, status:2, order:1, parcel:1, package:1, "
           "shipped:2, arrive:1.5, come:0.5, delivery:1, way:0.5, when:0.5, stuff:0.5", """
        where is my order
        where's my parcel
        track my order
        has my order shipped yet
        when will my package arrive
        what's the status of my order
        my order hasn't come yet
        I'm still waiting for my delivery
        is my parcel on its way
        any update on my order
        when is my stuff getting here
        can you check where my package is
        order tracking
        has my delivery been sent
        I want to know when my order arrives
        how long until my parcel comes
        what's happened to my order
        did my order go out
        I ordered something and it hasn't turned up
    """),
    _entry("missing_parcel", "missing:3, never:1.5, stolen:2, delivered:2, receive:1, nothing:1,"
           " courier:1, lost:1, doorstep:1.5, left:0.5, haven't got:1.5", """
        my parcel says delivered but I haven't got it
        it says delivered but nothing came
        my package never arrived
        parcel missing
        tracking says delivered but there's nothing here
        I think my parcel was stolen
        the courier says they left it but it's not here
        my order was marked delivered but I didn't get it
        I never received my package
        my delivery has gone missing
        it's showing as delivered but I can't find it
        where did the courier leave my parcel
        someone took my parcel from the doorstep
        my package got lost
        delivered to the wrong house I think
    """),
    _entry("refund", "refund:3, money back:3, reimburse:2.5, repay:2, charge back:1.5, "
           "return money:1.5", """
        I want a refund
        can I get my money back
        refund please
        how do I get a refund
        I'd like to be reimbursed
        give me my money back
        where is my refund
        I haven't had my refund yet
        can you refund my order
        I want my money returned
        when will I get my money back
        please process a refund
        I was promised a refund
        I need a refund for this
        refund status
    """),
    _entry("return_item", "return:3, send back:3, exchange:2, doesn't fit:2, faulty:1.5, "
           "label:1, swap:1.5", """
        I want to return an item
        how do I send something back
        return this please
        I need to return my order
        can I send it back
        it doesn't fit, can I return it
        I'd like to exchange an item
        how do returns work
        I want to send back a faulty product
        start a return
        can I get a returns label
        I need to swap this for a different size
        returning an order
        what's your returns policy
    """),
    _entry("cancel_order", "cancel:2, order:1, call off:2, don't want:1.5, stop:0.5, "
           "cancellation:2, mistake:1", """
        cancel my order
        I want to cancel my order
        please cancel the order
        can I still cancel
        I don't want it anymore, cancel it
        stop my order
        I ordered by mistake, can you cancel
        call off my order
        cancel the purchase
        I need to cancel what I ordered
        order cancellation
        is it too late to cancel my order
        don't send my order
        I changed my mind about my order
    """),
    _entry("change_address", "address:3, move:1.5, moved:1.5, postcode:2, ship:0.5, "
           "somewhere else:2, deliver to:1, redirect:2, location:1", """
        change my delivery address
        I need to update my address
        send it to a different address
        wrong address on my order
        I've moved house
        can you deliver to my work instead
        I put the wrong postcode in
        change the shipping address
        update delivery address
        can it go somewhere else
        I want it delivered to another address
        my address is wrong
        redirect my parcel please
        new address for my order
    """),
    _entry("change_order", "change:1, modify:2.5, add:1.5, remove:1.5, item:1, size:1.5, "
           "colour:1.5, edit:2", """
        I want to change my order
        can I add something to my order
        remove an item from my order
        change the size on my order
        I ordered the wrong colour
        edit my order
        modify my order please
        can I swap an item in my order
        I need to change the quantity
        add another one to my order
        I picked the wrong item
        change what I ordered
    """),
    _entry("book_appointment", "book:3, appointment:2, schedule:2, make:1, reserve:2, "
           "slot:1, visit:1, new appointment:2, available:1", """
        I'd like to book an appointment
        book an appointment
        can I make an appointment
        I need to see someone
        schedule a visit
        are there any slots free
        I want to book in
        make a booking
        can I reserve a time
        when can I come in
        book me in please
        I need an appointment next week
        what appointments are available
        set up an appointment
        get an appointment
    """),
    _entry("reschedule_appointment", "reschedule:3, move:2, change:1, appointment:1, "
           "different time:2, another day:2, postpone:2.5, later:1, earlier:1", """
        I need to reschedule my appointment
        can I move my appointment
        change my appointment time
        I can't make my appointment, can I change it
        move my booking to another day
        reschedule please
        can we do a different time
        I need a later appointment
        postpone my appointment
        can I come in on another day instead
        switch my appointment to next week
        change the date of my booking
        push my appointment back
        I want an earlier slot
    """),
    _entry("cancel_appointment", "cancel:2, appointment:2, booking:1.5, can't make:1.5, "
           "call off:1.5, won't be:1", """
        cancel my appointment
        I need to cancel my booking
        I can't come to my appointment
        please cancel my visit
        I won't be able to make it
        call off my appointment
        cancel the booking
        I don't need the appointment anymore
        can I cancel my slot
        remove my appointment
        I want to cancel
        cancel my reservation
    """),
    _entry("reset_password", "password:3, reset:2.5, forgot:2, login:1.5, log in:1.5, "
           "sign in:1.5, can't:0.5", """
        I forgot my password
        reset my password
        I can't log in
        how do I change my password
        my password isn't working
        I need a new password
        can't sign in
        forgotten password
        password reset please
        I'm locked out, forgot my password
        help me log in
        I can't remember my login
        my login doesn't work
        change password
    """),
    _entry("locked_account", "locked:3, blocked:2.5, suspended:2.5, frozen:2, account:1, "
           "disabled:2, unlock:2.5, access:1", """
        my account is locked
        I've been locked out of my account
        unlock my account
        my account has been blocked
        why is my account suspended
        I can't get into my account
        my account is frozen
        account disabled
        I have no access to my account
        you blocked my account
        please unlock me
        my account says it's locked
    """),
    _entry("lost_card", "card:2, lost:2.5, stolen:2.5, missing:1, block:1.5, freeze:1.5, "
           "cancel:0.5, wallet:1.5", """
        I lost my card
        my card was stolen
        I can't find my card
        block my card
        someone stole my wallet with my card
        freeze my card please
        my card is missing
        I need to cancel my card, it's lost
        report a lost card
        I think I left my card somewhere
        stolen card
        my bank card has gone
        I need a replacement card
        lost my debit card
    """),
    _entry("opening_hours", "open:2.5, hours:2.5, close:2, closing:2, time:0.5, when:0.5, "
           "weekend:1.5, today:0.5, sunday:1", """
        what are your opening hours
        when are you open
        what time do you close
        are you open today
        opening times
        are you open on sunday
        what time do you open tomorrow
        when do you shut
        hours please
        are you open at the weekend
        how late are you open
        what are your hours
        is the shop open now
    """),
    _entry("prices", "price:3, cost:3, how much:3, fee:2, charge:1, expensive:1.5, cheap:1.5, "
           "pricing:3", """
        how much does it cost
        what are your prices
        how much is it
        what's the price
        pricing please
        what do you charge
        is there a fee
        how expensive is it
        what's the cost
        price list
        how much will I pay
        do you have anything cheaper
        what are the fees
    """),
    _entry("delivery_times", "how long:2, delivery:1.5, days:1.5, shipping:1.5, time:1, "
           "fast:1, next day:2, quick:1, take:1", """
        how long does delivery take
        when would it arrive if I order now
        how many days for shipping
        do you do next day delivery
        delivery times
        how fast can you deliver
        what's the shipping time
        how long will it take to get here
        can I get it by friday
        how quick is delivery
        when will it come if I order today
        standard delivery time
    """),
    _entry("billing", "bill:3, billing:3, charged:2.5, invoice:2.5, payment:1.5, "
           "overcharged:3, twice:1.5, statement:1.5", """
        talk to billing
        I have a question about my bill
        I was charged twice
        why was I charged
        there's a wrong charge on my account
        I need a copy of my invoice
        my bill is too high
        I've been overcharged
        billing question
        what is this payment for
        explain my bill please
        I don't recognise this charge
        a payment went out twice
        I need to sort out my billing
    """),
    _entry("payment_methods", "pay:2.5, payment:2, paypal:3, credit card:2, accept:1.5, "
           "method:2, cash:1.5, instalments:2", """
        how can I pay
        do you take paypal
        what payment methods do you accept
        can I pay by card
        do you accept cash
        can I pay in instalments
        payment options
        is apple pay ok
        can I pay later
        which cards do you take
        ways to pay
        can I pay by bank transfer
    """),
    _entry("change_email", "email:3, e-mail:3, email address:2, login email:2, inbox:1, "
           "hotmail:1.5, gmail:1.5, change:0.5, new:0.5", """
        change my email address
        I have a new email
        update my email please
        I need to change the email on my account
        my email has changed
        use my new email address
        I don't use that email any more
        can I switch my email
        wrong email on my account
        new e-mail address
        swap the email I log in with
        my old email doesn't work now
        email change please
    """),
    _entry("update_details", "details:2, phone number:2, name:1.5, contact:1.5, "
           "personal:1.5, mobile:1.5, date of birth:2, update:1, change:0.5", """
        update my details
        I have a new phone number
        change my contact details
        my name is spelt wrong
        update my personal information
        new mobile number
        edit my profile
        change my phone number please
        my details are out of date
        update contact info
        my date of birth is wrong
        I got married and changed my name
    """),
    _entry("complaint", "complain:3, complaint:3, unhappy:2.5, terrible:2, awful:2, "
           "disappointed:2.5, manager:1.5, rude:2, poor:1.5", """
        I want to make a complaint
        I'm not happy with the service
        this is terrible
        I want to complain
        I'm really disappointed
        your service is awful
        I want to speak to a manager about this
        the driver was rude
        this is unacceptable
        very poor service
        I'd like to file a complaint
        I'm unhappy with my order
    """),
    _entry("damaged_item", "damaged:3, broken:3, faulty:2.5, arrived:1, crushed:2, smashed:2, "
           "defective:2.5, wrong item:1.5, doesn't work:2", """
        my item arrived damaged
        it came broken
        the product is faulty
        the box was crushed and it's broken
        it doesn't work
        I got a damaged parcel
        it arrived smashed
        the item is defective
        the screen is cracked
        it stopped working after a day
        one of the parts is broken
        it's damaged, what do I do
    """),
    _entry("wrong_item", "wrong item:3, wrong:1.5, instead:2, not what:2, different:1.5, "
           "sent me:1.5, mix up:2", """
        you sent me the wrong item
        I got the wrong thing
        this isn't what I ordered
        I received someone else's order
        wrong size sent
        the item is different from what I ordered
        you sent the wrong colour
        there's been a mix up with my order
        I ordered something else
        not what I ordered
        wrong product in the box
    """),
    _entry("check_balance", "balance:3, how much:1, money:1, account:0.5, left:1, funds:2",
           """
        what's my balance
        how much money do I have
        check my balance
        how much is in my account
        balance please
        what have I got left
        show my balance
        available funds
        how much can I spend
        my current balance
    """),
    _entry("transfer_money", "transfer:3, send money:3, pay someone:2, move money:2, "
           "bank transfer:2, payee:2", """
        I want to transfer money
        send money to a friend
        make a transfer
        how do I pay someone
        move money between my accounts
        transfer funds
        I need to send money abroad
        add a new payee
        bank transfer please
        pay my friend back
        send fifty pounds to my son
    """),
    _entry("card_arrival", "card:1.5, arrive:2, arrived:2, new card:2.5, post:1.5, "
           "delivery:1, when:0.5, still:0.5", """
        when will my card arrive
        my new card hasn't come
        I'm still waiting for my card
        where is my card
        has my card been sent
        how long does a new card take
        my card never came in the post
        track my card delivery
        is my card on its way
        card not arrived yet
    """),
    _entry("book_table", "table:3, restaurant:2, reservation:2, reserve:2, dinner:2, "
           "lunch:2, people:1, tonight:1.5, seats:1.5, book:1", """
        I'd like to book a table
        table for two tonight please
        can I reserve a table for four
        do you have a table free on saturday
        book a table for dinner
        I want to make a reservation
        is there space for six people tomorrow
        can we get a table at 8
        reservation for lunch please
        table for 3 on friday evening
        any tables left tonight
        I need a booking for a birthday dinner
    """),
    _entry("exchange_item", "exchange:3, swap:2.5, size:2, different:1.5, colour:1.5, "
           "instead:1, replace:1.5", """
        I want to exchange this for a different size
        can I swap it for another colour
        exchange an item please
        it's too small, can I get a bigger one
        I'd like a different size instead
        swap for a medium please
        can I change it for something else
        exchange for the same thing in blue
        I need to swap the size
        replace it with a larger size
    """),
    _entry("found_card", "found:3, turned up:3, back:1, never mind:1.5, false alarm:2.5, "
           "unblock:2, card:1", """
        I found my card
        it turned up, never mind
        false alarm, I've got my card back
        my card was in my other coat
        I have my card again
        can you unblock it, I found it
        found it, sorry
        it wasn't lost after all
        the card is back with me
        no need, I found the card
    """),
    _entry("dietary", "vegetarian:3, vegan:3, gluten:3, allergy:3, allergic:3, dietary:3, "
           "nuts:2, dairy:2, halal:2.5, intolerant:2", """
        I'm vegetarian
        do you have vegan options
        I have a nut allergy
        is there anything gluten free
        one of us is allergic to dairy
        we have dietary requirements
        my son can't eat nuts
        do you do halal food
        I'm lactose intolerant
        are there options for coeliacs
        any vegetarian dishes
    """),
    _entry("store_location", "store:2.5, shop:2, branch:2.5, near:2, location:2, nearest:2.5, "
           "find you:2, where are:1.5, directions:2", """
        where is your nearest store
        is there a shop near me
        find a branch
        where are you located
        store locations
        what's your address
        how do I get to the shop
        nearest branch please
        do you have a store in town
        directions to the store
        where can I find you
    """),
    _entry("subscription", "subscription:3, subscribe:2.5, unsubscribe:3, membership:2.5, "
           "plan:1.5, renew:2, monthly:1.5", """
        cancel my subscription
        I want to unsubscribe
        how do I stop my membership
        change my plan
        renew my subscription
        stop the monthly payments
        upgrade my plan
        end my membership
        I don't want to be subscribed anymore
        downgrade my subscription
        how much is the monthly plan
    """),
)

# fmt: on

BANK_BY_KEY: Mapping[str, BankEntry] = {entry.key: entry for entry in BANK}

# A customer's worried check after the assistant reads a detail back.
REASSURANCE: tuple[str, ...] = (
    "did it go through?",
    "has that worked?",
    "so is that all done now?",
    "did you get that alright?",
    "is that saved then?",
    "so that's definitely sorted?",
    "did that go through ok?",
    "have you got it now?",
    "is everything alright with that?",
    "just to be sure, is it done?",
)
