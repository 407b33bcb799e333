"""Generate the Pebblewire support-ticket data set (deterministic).

    python tools/make_tickets.py          # rewrite tickets.jsonl and the data card's tables
    python tools/make_tickets.py --check  # fail if the committed files are not current

How it works: every category has many hand-written ticket bodies ("templates") with slots
(order number, product, plan, amounts, dates...). A ticket is one template with its slots
filled, wrapped in a tone (polite, neutral, angry, terse, rambling), optional greeting,
subject line, name/e-mail signature, plan remark, urgency or "no rush" remark, an unrelated
aside, and typing noise. Gold fields are recorded while the slots are filled, so they always
match the text. Priority follows the intent, shifted by the wording and some random noise.
The routing queue comes from ``route_queue`` (the company's rules).

Splits are made by template: all tickets written from one template land in the same split,
so no test ticket is a reworded copy of a training ticket.
"""

# The hand-written ticket bodies are long strings, one per line:
# ruff: noqa: E501

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from prompt_vs_finetune.data.tickets import (  # noqa: E402
    BUSINESS_PLAN,
    CATEGORIES,
    INTENTS_BY_CATEGORY,
    PRIORITIES,
    QUEUES,
    route_queue,
)
from prompt_vs_finetune.data.voice import SIGN_OFF, greeting  # noqa: E402

SEED = 20240611
OUT = ROOT / "src" / "prompt_vs_finetune" / "data" / "tickets.jsonl"
CARD = ROOT / "src" / "prompt_vs_finetune" / "data" / "DATA_CARD.md"

# tickets per category (deliberately unbalanced, like a real inbox) and split sizes
CATEGORY_SIZES = {
    "billing": 140,
    "technical": 150,
    "shipping": 110,
    "account": 95,
    "cancellation": 85,
    "feature": 80,
}
SPLIT_SIZES = {"train": 400, "dev": 100, "test": 160}


@dataclass(frozen=True)
class T:
    """One ticket body. ``prio`` overrides the intent's base priority; ``hard`` marks an
    ambiguous ticket (its note names the competing reading)."""

    intent: str
    text: str
    prio: str | None = None
    hard: str | None = None


# fmt: off
# ---------------------------------------------------------------------------------------------
# Ticket bodies. Slots: {order} {product} {net} {cam} {thermo} {stream} {mesh} {plan} {bizplan}
# {price} {amount} {amount2} {date} {month} {days} {days2} {hours} {speed} {last4} {n} {n2}
# {city} {city2} {courier} {time} {years} {name} {email}
# ---------------------------------------------------------------------------------------------

BILLING = [
    T("double_charge", "I was charged twice this month. Two payments of {amount} went out on {date}, one of them needs to be refunded."),
    T("double_charge", "My bank statement shows {amount} taken on {date} and again the next day. I only have the one {plan} subscription so one of those is a mistake."),
    T("double_charge", "why did u bill me 2x for {month}??"),
    T("double_charge", "There are duplicate charges on my account for {month}. Could you look into it and reverse the extra one?"),
    T("double_charge", "Looks like autopay ran twice. My card ending in {last4} got hit for {amount} both times."),
    T("double_charge", "I got two bills for the same period, one for {amount} and one for {amount2}. Which one am I actually supposed to pay?"),
    T("double_charge", "Why is there a second {amount} charge labelled PEBBLEWIRE*EQUIP on my card? I only bought one {product}."),
    T("refund", "I returned the {product} from order {order} about {days} weeks ago and I still haven't seen the money back."),
    T("refund", "The agent I spoke to last month promised a {amount} credit for the outage. It never showed up on my bill."),
    T("refund", "I'd like a refund for {month}. I asked for my service to be paused while I was abroad and it clearly wasn't."),
    T("refund", "I was overcharged by {amount} because the promo price was never applied. The sales rep told me the first six months would be discounted."),
    T("refund", "You charged me {amount} for a {product} I never ordered. I want that reversed.", prio="high"),
    T("refund", "The technician visit fee of {amount} shouldn't be on my bill. The fault was in your cabinet down the street, not in my house."),
    T("refund", "Please refund the activation fee on order {order}. Your website said there's no activation fee when you order online, and I ordered online."),
    T("refund", "Now that the {product} is fully paid off, can I get the {amount} deposit back?"),
    T("invoice_question", "My bill went from {amount} to {amount2} and nobody told me why. What is the extra charge?", prio="medium"),
    T("invoice_question", "What is the 'equipment protection fee' on my latest invoice? I don't remember ever signing up for that."),
    T("invoice_question", "Can you send me a proper VAT invoice with our company name on it for {month}? Our accountant needs it for the {bizplan} account."),
    T("invoice_question", "There's a {amount} late fee on my statement but I paid on time. I have the confirmation email to prove it.", prio="medium"),
    T("invoice_question", "Hi, I'm on {plan}, which was advertised at {price} a month. So why is my bill {amount}?"),
    T("invoice_question", "Could someone explain the pro-rated charge on my first bill? I can't work out how you got to that number."),
    T("invoice_question", "We have {n} lines on {bizplan} but the invoice lists {n2}. Please check our billing."),
    T("invoice_question", "When exactly is my billing date? It seems to move around every month."),
    T("invoice_question", "I was told upgrading to {plan} would add {amount} to my monthly bill, but it went up by a lot more than that."),
    T("invoice_question", "Is tax included in the {price} price for {plan} or is it added on top? Trying to budget."),
    T("payment_failed", "Your website keeps telling me my payment failed, but the money has left my bank account. Now my account says overdue?", prio="high"),
    T("payment_failed", "Autopay didn't go through and I got a warning email. My card expired. How do I pay the {amount} before you cut me off?"),
    T("payment_failed", "tried paying with paypal 3 times, error every time. bill is due tomorrow"),
    T("payment_failed", "My direct debit was rejected because you used the old bank details. I updated them weeks ago."),
    T("payment_failed", "My card keeps getting declined on your checkout page even though it works everywhere else. I'm trying to clear my overdue balance."),
    T("refund", "My internet was out for {days} days last week. I'm not paying full price for a service I didn't get, so I'd like a credit.", hard="technical"),
    T("refund", "I cancelled back in {month} and you still took {amount} from my card ending {last4} this week. Give it back.", prio="high", hard="cancellation"),
    T("invoice_question", "Why am I paying for {plan} if the speed test never goes above {speed} Mbps?", hard="technical"),
    T("refund", "Still being billed for the {product} I sent back with order {order}. Tracking shows you received it weeks ago.", hard="shipping"),
    T("payment_failed", "The app crashes every time I get to the payment screen so I can't pay my bill. Is there another way to pay?", hard="technical"),
    T("invoice_question", "I got charged {amount} for delivery on {order} even though checkout said delivery was free.", hard="shipping"),
]

TECHNICAL = [
    T("no_connection", "My internet has been down since this morning. The light on the {net} is blinking red and restarting it does nothing."),
    T("no_connection", "no internet AGAIN. third time this week."),
    T("no_connection", "Wifi drops every evening around {time} and comes back about twenty minutes later. Been like this for {days} days.", prio="medium"),
    T("no_connection", "We're a small office on {bizplan} and the connection has been down for {hours} hours. We can't take card payments.", prio="urgent"),
    T("no_connection", "Is there an outage in {city}? Nothing is connecting and the neighbours say theirs is down too."),
    T("no_connection", "The internet light is off on the {net}. Tried a different socket, held the reset button for 30 seconds. Nothing."),
    T("no_connection", "Phone and laptop both say 'connected, no internet'. The wifi is there but nothing loads."),
    T("slow_speed", "I pay for {plan} but I'm getting about {speed} Mbps on a wired connection. That's nowhere near what I was promised."),
    T("slow_speed", "Speeds are terrible in the evenings. Video calls freeze constantly and the kids can't stream anything."),
    T("slow_speed", "Upload speed is basically zero. I can't send files to my clients."),
    T("slow_speed", "Ping jumps to 300ms+ whenever I'm gaming, totally unplayable. Everything else seems ok."),
    T("slow_speed", "Since the maintenance work on {date} my speed has dropped by about half."),
    T("slow_speed", "The wifi upstairs is useless, one bar at best. Do I need a {mesh} or is something wrong?", prio="low"),
    T("device_fault", "My {cam} keeps going offline in the app even though it's only a few metres from the router."),
    T("device_fault", "The {thermo} screen went blank overnight and now the heating won't come on. It's freezing in here.", prio="high"),
    T("device_fault", "The {stream} remote has stopped working, even with fresh batteries.", prio="low"),
    T("device_fault", "{cam} night vision just shows a grey picture after dark. The daytime video is fine."),
    T("device_fault", "the {net} gets really hot and reboots itself a few times a day"),
    T("device_fault", "My {cam} recordings from the last {days} days are missing. Motion alerts still arrive but the clips won't play."),
    T("device_fault", "The {thermo} thinks it's five degrees warmer than it is, so the house never warms up."),
    T("device_fault", "The {stream} keeps buffering and then says 'no signal', even though wifi on my phone works fine in the same room."),
    T("device_fault", "Audio on the {cam} is so crackly I can't understand a word when I use two-way talk."),
    T("device_fault", "After last night's update the {product} is stuck on the logo screen."),
    T("device_fault", "The {thermo} schedule resets itself to the factory default every few days."),
    T("setup_help", "Just got my {net} and I can't get it set up. The app is stuck on 'searching for device'."),
    T("setup_help", "How do I connect the {cam} to my 5GHz network? Setup only offers 2.4GHz."),
    T("setup_help", "Can I use my own router instead of the {net}? If so, what settings do I need?"),
    T("setup_help", "I moved the {net} to another room and now the extenders won't pair with it. What's the right order to set things up?"),
    T("setup_help", "Your installer set everything up but never told me the wifi password, and the sticker on the {net} has been peeled off."),
    T("setup_help", "How do I stop the {cam} sending me an alert every time a car drives past?"),
    T("device_fault", "The new {net} from order {order} came today and it won't power on at all. Tried two different outlets.", prio="high", hard="shipping"),
    T("no_connection", "If the wifi isn't fixed by Friday I'm cancelling. It's been dropping out all week.", hard="cancellation"),
    T("slow_speed", "Funny how my bill went up in {month} and my speed went down at the same time. Fix the speed please.", hard="billing"),
    T("device_fault", "The {thermo} goes up to 28 every night by itself. Is that a setting I'm missing or is it broken?", hard="feature"),
    T("no_connection", "it's not working again", hard="vague"),
    T("setup_help", "I changed my wifi name and now the {cam} won't reconnect. Do I need to reset my account as well?", hard="account"),
]

SHIPPING = [
    T("track_order", "Where is my order {order}? It was supposed to arrive on {date}."),
    T("track_order", "Tracking for {order} hasn't updated in {days} days. It just says 'label created'."),
    T("track_order", "I ordered a {product} over a week ago (order {order}) and still have no shipping confirmation. Has it even left the warehouse?"),
    T("track_order", "The courier says delivered but there's nothing at my door. Order {order}.", prio="high"),
    T("track_order", "can u tell me when {order} will arrive, need it before the weekend"),
    T("track_order", "Your driver has 'tried' to deliver {order} three times while I was home. No knock, just a sorry-we-missed-you card.", prio="medium"),
    T("track_order", "Can I change the delivery address on {order}? I'll be staying at my parents' place all next week."),
    T("track_order", "It's been {days2} days. Order {order}. Where is it?", prio="medium"),
    T("track_order", "Tracking says it's with {courier}, but {courier}'s website says the tracking number doesn't exist."),
    T("track_order", "The replacement {product} you promised hasn't shown up. The agent said 3-5 days and it's been {days2}.", prio="medium"),
    T("track_order", "Is there any way to speed up shipping on {order}? Happy to pay extra."),
    T("track_order", "Order {order} shows as delivered in {city}, but I live in {city2}!", prio="medium"),
    T("track_order", "Do you ship to PO boxes? My order {order} got sent back to you."),
    T("damaged_item", "My {product} arrived with a cracked case. The box was badly dented as well."),
    T("damaged_item", "The parcel for order {order} was soaked through when it arrived. I haven't plugged the {product} in because I'm worried it's ruined."),
    T("damaged_item", "The {cam} lens was scratched straight out of the box."),
    T("damaged_item", "The mounting bracket for my {product} came snapped in half."),
    T("damaged_item", "Box arrived already open and the {product} inside has a big scuff on the front.", prio="low"),
    T("wrong_item", "I ordered the {product} (order {order}) but got something completely different. Looks like someone else's order."),
    T("wrong_item", "Got the wrong colour {product}. I ordered white and this one's black.", prio="low"),
    T("wrong_item", "Order {order} came without the power adapter for the {product}."),
    T("wrong_item", "I ordered two of the {product} and only one turned up."),
    T("wrong_item", "I received someone else's parcel. The packing slip has a different name and address. What do I do with it?"),
    T("return_item", "How do I send back the {product}? I don't need it anymore and it's still sealed."),
    T("return_item", "I need a return label for {order}. The {product} doesn't fit where I wanted to mount it."),
    T("return_item", "I bought the {product} {days} weeks ago, am I still inside the return window?"),
    T("return_item", "I posted the old {net} back like the letter said. Can you confirm you got it so I'm not charged the non-return fee?", prio="medium"),
    T("return_item", "The {product} was a gift and we already have one. Can I swap it for something else from your store?"),
    T("track_order", "Where is order {order}? If it isn't here by Friday just cancel it and refund me.", prio="medium", hard="cancellation"),
    T("damaged_item", "The {product} box arrived crushed. Haven't opened it yet, should I even try it or send it straight back?", hard="technical"),
    T("track_order", "The courier left my parcel ({order}) at my old address. Can you also update the address on my account so this stops happening?", hard="account"),
    T("wrong_item", "The {product} in order {order} is clearly used: the box was opened and it's already paired to someone else's account.", hard="account"),
]

ACCOUNT = [
    T("login_problem", "I can't log into my account. The password reset email never arrives."),
    T("login_problem", "Locked out after too many attempts. How long until I can try again?"),
    T("login_problem", "The app keeps logging me out every time I close it.", prio="low"),
    T("login_problem", "The two-factor code goes to my old phone number, which I don't have anymore."),
    T("login_problem", "I forgot which email I signed up with. My name is {name}, can you look it up?"),
    T("login_problem", "The website says 'account not found' but I've been paying you for {years} years."),
    T("login_problem", "The reset link says it has expired the second I click it."),
    T("login_problem", "I can log in on the website but the app says my password is wrong. Same password!"),
    T("login_problem", "The 'sign in with Google' button does nothing at all."),
    T("update_details", "Please update the email on my account to {email}."),
    T("update_details", "I got married and need to change the surname on my account."),
    T("update_details", "How do I add my partner as an authorised user so they can call you about the account?"),
    T("update_details", "We moved house last month, please update my billing address."),
    T("update_details", "Can I change my username? It's an old work address I can't get into anymore."),
    T("update_details", "Please remove my ex from the account. They still have admin access to everything.", prio="high"),
    T("update_details", "need to change the phone number on file, the old one is disconnected"),
    T("update_details", "Our office manager has left. Please make me the admin on our {bizplan} account.", prio="medium"),
    T("update_details", "How do I download the personal data you hold on me? I'd also like to opt out of marketing emails."),
    T("update_details", "I'd like to switch the account holder from my dad to me, he's moving into care."),
    T("update_details", "Can you merge my two accounts? I ended up with one for the internet and a separate one for the {product}."),
    T("update_details", "Please switch the language of my emails and the app to Spanish."),
    T("security_concern", "I got an email saying my password was changed. I didn't do that!!"),
    T("security_concern", "There's a device on my account I don't recognise, and someone changed my wifi password through the app."),
    T("security_concern", "Someone phoned me claiming to be from Pebblewire and asked for my account PIN. Was that really you?", prio="medium"),
    T("security_concern", "I got a login alert from a city I've never been to. Please lock my account until I can reset everything."),
    T("security_concern", "Have you had a data breach? I'm getting spam at the address I only use for Pebblewire.", prio="high"),
    T("security_concern", "The app showed a second person watching my {cam} live feed and it wasn't anyone in my family."),
    T("login_problem", "I can't log into the app, so I can't see my {cam} feed at all. Is the camera broken or is it the app?", hard="technical"),
    T("update_details", "My husband passed away last month. The account is in his name and I need to move it into mine.", prio="medium", hard="cancellation"),
    T("update_details", "I need to change the card you take payments from, my old one was stolen.", prio="high", hard="billing"),
    T("login_problem", "My account shows as suspended even though everything is paid, and I can't get into the app at all.", prio="high", hard="billing"),
]

CANCELLATION = [
    T("cancel_service", "I'd like to cancel my internet service. I'm moving abroad at the end of {month}."),
    T("cancel_service", "Cancel my account please. I'm not interested in any offers, just confirm the end date."),
    T("cancel_service", "How much is the early termination fee if I leave now? I'm {n} months into a 24-month contract.", prio="low"),
    T("cancel_service", "I want to end my {plan} contract. The service has been unreliable for months."),
    T("cancel_service", "Found a cheaper provider. What do I need to do with the {net} when I cancel?"),
    T("cancel_service", "Please cancel the cloud recording subscription for my {cam} but keep my internet."),
    T("cancel_service", "We're closing the shop at the end of the month, so we won't need the {bizplan} line anymore."),
    T("cancel_service", "Stop my service effective immediately.", prio="high"),
    T("cancel_service", "Does cancelling online actually work? I clicked cancel last week and never got a confirmation."),
    T("cancel_service", "My mother has moved into a care home, so please close her account. I have power of attorney."),
    T("cancel_service", "This is my formal notice to terminate. The service address is in {city}."),
    T("cancel_service", "Can I cancel without a penalty? You changed the price in the middle of my contract."),
    T("cancel_service", "Please downgrade me... actually no, just cancel. I'm done."),
    T("cancel_service", "We're moving in with friends, so I'd like to close my account. Last day should be {date}."),
    T("cancel_service", "how do i cancel. cant find it anywhere in the app"),
    T("cancel_service", "Cancel the {stream} TV package, nobody in this house uses it.", prio="low"),
    T("cancel_service", "I'm a student and only need internet until {month}. Can you set the cancellation now so I don't forget?", prio="low"),
    T("cancel_service", "Please terminate my account and email me the final bill."),
    T("cancel_service", "Your competitor is offering twice the speed for less money. Unless you can match it, I'm leaving."),
    T("cancel_service", "I want to cancel within the 14-day cooling-off period. Installation was on {date}.", prio="high"),
    T("cancel_order", "Please cancel order {order}, I ordered it by mistake."),
    T("cancel_order", "Cancel {order} before it ships please, I found the {product} cheaper somewhere else."),
    T("cancel_order", "I'd like to cancel the {product} I added to my order yesterday ({order})."),
    T("cancel_order", "I placed the same order twice by accident ({order}). Please cancel one of them."),
    T("cancel_order", "Don't send the {product} from order {order}. I changed my mind."),
    T("cancel_service", "We're moving to an area you don't cover in {month}. What happens to the equipment, and do I owe anything?", hard="shipping"),
    T("cancel_service", "Turn off auto-renew on my contract. I don't want it rolling over into another year.", prio="low", hard="billing"),
    T("cancel_service", "Thinking about leaving. {plan} costs too much for what I get. Is there anything cheaper before I go?", prio="low", hard="billing"),
    T("cancel_order", "Order {order} still hasn't shipped after {days2} days, so forget it. Cancel it.", hard="shipping"),
]

FEATURE = [
    T("feature_request", "It would be great if the app had a dark mode."),
    T("feature_request", "Please add a way to schedule wifi downtime for the kids' devices at night."),
    T("feature_request", "Could the {cam} record to a local SD card instead of only to the cloud?"),
    T("feature_request", "Suggestion: let us pause the internet for one specific device right from the app's home screen."),
    T("feature_request", "Any chance the {thermo} will work with voice assistants at some point?"),
    T("feature_request", "I'd love to see a data usage graph per device. I have no idea what's eating my bandwidth."),
    T("feature_request", "Idea: a guest wifi QR code I can print out for visitors."),
    T("feature_request", "Please let me draw motion zones on the {cam}. The street keeps setting it off."),
    T("feature_request", "The {stream} really should have a sleep timer."),
    T("feature_request", "Wish list: two-factor login with an authenticator app instead of SMS codes."),
    T("feature_request", "It'd be really handy if the {net} could notify me when a new device joins the network."),
    T("feature_request", "Please bring back the old {thermo} widget, the new app layout is harder to use."),
    T("feature_request", "Why can't I share camera access with a family member for a limited time? That would be a great feature."),
    T("feature_request", "Could you add a vacation mode that turns the heating down and arms the cameras with one tap?"),
    T("feature_request", "It would help a lot if the outage map showed an estimated fix time."),
    T("feature_request", "Feature request: export {cam} clips straight to my own cloud storage."),
    T("feature_request", "Please make the {stream} remote backlit, I can't see the buttons in the dark."),
    T("feature_request", "I'd love a weekly email summarising how much energy the {thermo} saved."),
    T("feature_request", "Can the app just show the wifi password so I don't have to go hunting for the sticker?"),
    T("feature_request", "It would be nice to have a setting that restarts the {net} at 4am once a week."),
    T("feature_request", "Your support chat should let me upload screenshots."),
    T("feature_request", "Please add a home-screen widget so I can glance at the {cam} without opening the app."),
    T("feature_request", "Suggestion for {bizplan}: let us set up separate staff and customer networks from the dashboard."),
    T("feature_request", "More temperature presets on the {thermo} please, three isn't enough."),
    T("feature_request", "Teach the {cam} to recognise our cat so it stops alerting us every five minutes."),
    T("feature_request", "Let me pick the notification sound for the {cam}."),
    T("feature_request", "Could you add parental controls that filter by age group instead of a list of websites?"),
    T("feature_request", "Is there a way to make the {cam} only record at night? If not, please consider adding it.", hard="technical"),
    T("feature_request", "Please stop charging extra for paper bills, or at least give us a cheaper e-bill option.", hard="billing"),
    T("feature_request", "Can the bill PDF show a breakdown per service? It would make expense claims much easier.", hard="billing"),
    T("feature_request", "I'd happily stay if there were a cheaper plan with just the basics. Please think about adding one.", hard="cancellation"),
]

TEMPLATES = {
    "billing": BILLING,
    "technical": TECHNICAL,
    "shipping": SHIPPING,
    "account": ACCOUNT,
    "cancellation": CANCELLATION,
    "feature": FEATURE,
}

# ---------------------------------------------------------------------------------------------
# Slot values and decorations
# ---------------------------------------------------------------------------------------------

PLAN_WEIGHTS = {"Spark 100": 3, "Flow 500": 3, "Torrent Gig": 2, "Harbor Business": 2}
PLAN_PRICE = {"Spark 100": 39, "Flow 500": 59, "Torrent Gig": 79, "Harbor Business": 129}
PRODUCT_FAMILIES = {
    "net": ("PebbleHub", "PebbleHub", "MeshStone"),
    "cam": ("GlowCam", "KnockBell"),
    "thermo": ("ThermoPebble",),
    "stream": ("StreamPebble",),
    "mesh": ("MeshStone",),
    "product": ("PebbleHub", "MeshStone", "GlowCam", "KnockBell", "ThermoPebble", "StreamPebble"),
}
PRODUCT_SPELLINGS = {
    "PebbleHub": ("Pebble Hub", "pebblehub", "PebbleHub router"),
    "MeshStone": ("Mesh Stone", "meshstone", "MeshStone extender"),
    "GlowCam": ("Glow Cam", "glowcam", "GlowCam camera"),
    "KnockBell": ("Knock Bell", "knockbell", "KnockBell doorbell"),
    "ThermoPebble": ("Thermo Pebble", "thermopebble", "ThermoPebble thermostat"),
    "StreamPebble": ("Stream Pebble", "streampebble", "StreamPebble box"),
}
FIRST = (
    "Maria", "James", "Aisha", "Tom", "Priya", "Lukas", "Sofia", "Daniel", "Mei", "Omar",
    "Grace", "Ben", "Fatima", "Jonas", "Chloe", "Raj", "Elena", "Sam", "Nadia", "Kwame",
    "Hannah", "Diego", "Yuki", "Liam", "Zara", "Patrick", "Ingrid", "Marcus", "Leila", "Oscar",
    "Emily", "Tariq", "Rosa", "Henrik", "Amara", "Victor", "Claire", "Mateo", "Anya", "George",
)
LAST = (
    "Lopez", "Carter", "Khan", "Novak", "Sharma", "Becker", "Rossi", "Okafor", "Chen", "Haddad",
    "Murphy", "Walsh", "Ali", "Lindqvist", "Dubois", "Patel", "Ivanova", "Reid", "Mensah",
    "Kowalski", "Nguyen", "Torres", "Tanaka", "O'Brien", "Ahmed", "Fischer", "Moreau", "Evans",
    "Silva", "Park", "Brennan", "Costa", "Hughes", "Jensen", "Abebe", "Schmidt",
)
DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
CITIES = (
    "Riverton", "Maple Heights", "Oakdale", "Fairview", "Brookhaven", "Lakeside", "Millbrook",
    "Cedar Falls", "Ashford", "Greenfield", "Westbury", "Hollow Creek",
)
COURIERS = ("ParcelDash", "SwiftRoute", "QuickShip Express")
TIMES = ("8pm", "9 at night", "7 in the evening", "half 8", "10pm", "dinner time")
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}

SUBJECTS = {
    "refund": ("Refund request", "Money owed", "Refund still missing", "credit not applied"),
    "double_charge": ("Charged twice", "Duplicate payment", "double billing??"),
    "payment_failed": ("Payment problem", "Can't pay my bill", "payment error"),
    "invoice_question": ("Question about my bill", "Invoice query", "bill higher than expected"),
    "no_connection": ("Internet down", "No connection", "outage?", "WIFI NOT WORKING"),
    "slow_speed": ("Slow internet", "Speed issue", "speeds way below plan"),
    "device_fault": ("Device problem", "Faulty device", "something wrong with my device"),
    "setup_help": ("Setup help", "Help setting up", "how do I set this up"),
    "track_order": ("Where is my order", "Delivery status", "order not arrived"),
    "damaged_item": ("Damaged delivery", "Arrived broken", "item damaged"),
    "wrong_item": ("Wrong item received", "Problem with my order", "order incomplete"),
    "return_item": ("Return", "Returning an item", "return question"),
    "login_problem": ("Can't log in", "Login issue", "locked out"),
    "update_details": ("Update my details", "Account change", "change of details"),
    "security_concern": ("Security concern", "Possible account hack", "URGENT security"),
    "cancel_service": ("Cancellation", "Cancel my service", "closing my account"),
    "cancel_order": ("Cancel order", "Order cancellation", "please cancel"),
    "feature_request": ("Suggestion", "Feature idea", "Feedback / idea", "wish list"),
}

GREETINGS = (
    "Hi,", "Hello,", "Hi there,", "Good morning,", "Hello Pebblewire team,", "Dear Support,",
    "Hey,", "Hi support team,", "Good afternoon,", "Hiya,", "To whom it may concern,",
)
POLITE_OPENERS = (
    "Hope you're doing well.", "I hope someone can help me with this.",
    "Sorry to bother you.", "Quick question for you.", "I wonder if you can help.",
)
POLITE_CLOSERS = (
    "Thanks!", "Thank you.", "Many thanks.", "Thanks for your help.", "Appreciate it.",
    "Thanks in advance.", "Cheers.", "Thank you so much for your time.", "Any help appreciated.",
)
SIGNOFFS = ("Kind regards,", "Best,", "Regards,", "Thanks,", "Best wishes,", "Cheers,", "Many thanks,")
ANGRY_OPENERS = (
    "Honestly I'm fed up.", "This is ridiculous.", "Unbelievable.",
    "Third time contacting you about this.", "I've been on hold for an hour so I'm writing instead.",
    "Not happy at all.", "Really disappointed with Pebblewire right now.",
)
ANGRY_CLOSERS = (
    "Sort it out.", "Fix this NOW.", "I expect a reply today.", "Absolutely shocking service.",
    "If this isn't resolved I'll be leaving reviews everywhere.", "Do better.",
    "I want a real person to answer, not a bot.",
)
RAMBLE_BEFORE = (
    "So, bit of a long story.", "I've been with you for {years} years and never had to write in before.",
    "Sorry if this is the wrong place for this.",
    "My son normally deals with this kind of thing but he's away at university.",
    "I tried the chat bot first but it just kept sending me help links.",
    "I'm not very good with technology, so please bear with me.",
    "I spoke to someone last week but I didn't get a reference number.",
    "I've already read through the help pages twice.",
)
RAMBLE_AFTER = (
    "Anyway, I'd appreciate any help.", "Not sure what else to try at this point.",
    "Don't know if that's relevant but thought I'd mention it.",
    "I'm home most days if someone needs to call.", "Sorry for the long message!",
)
URGENT_ANY = (
    "This is urgent.", "Please deal with this today.", "ASAP please.", "I need an answer today.",
    "This needs sorting right away.", "Please treat this as a priority.",
)
_OFFLINE = (
    "I work from home and I'm losing money every hour this isn't working.",
    "I have an online exam tomorrow morning.",
    "My elderly mum relies on this for her emergency alarm.",
)
_MONEY = ("That money was meant for rent.", "I'm now overdrawn because of this.")
URGENT_BY_INTENT = {
    "no_connection": _OFFLINE,
    "slow_speed": _OFFLINE[:2],
    "refund": _MONEY,
    "double_charge": _MONEY,
    "track_order": ("It's a birthday present for Saturday.", "I need it for a house move this weekend."),
    "security_concern": ("I'm worried someone is in my account right now.",),
    "cancel_service": ("I move out on Friday.",),
}
RELAXED = (
    "No rush.", "Not urgent, whenever you get a chance.", "Just curious, no hurry at all.",
    "Take your time, it's not a big deal.", "Low priority, just thought I'd ask.",
)
PLAN_REMARKS = (
    "I'm on the {plan} plan.", "(Account is on {plan}.)", "We have {plan}.", "Plan: {plan}",
    "I've had {plan} for about {years} years.", "fyi I'm on {plan}", "My plan is {plan}.",
    "This is on our {plan} line.",
)
ASIDES = {
    "feature": "Also, unrelated, but your app really needs a dark mode.",
    "billing": "Oh and my last bill looked higher than usual, but that's a separate thing.",
    "technical": "The wifi has been a bit patchy lately too, but that's not why I'm writing.",
    "shipping": "Also still waiting on a delivery from you, but one thing at a time.",
    "account": "And I can never remember my login, which doesn't help.",
    "cancellation": "To be honest I've been thinking about switching providers.",
}
MISSPELL = {
    "receive": "recieve", "received": "recieved", "definitely": "definately",
    "separate": "seperate", "account": "acount", "cancel": "cancle", "internet": "interent",
    "because": "becuase", "please": "pls", "you": "u", "thanks": "thx", "really": "realy",
    "tomorrow": "tommorow", "weird": "wierd", "address": "adress", "until": "untill",
    "anything": "anythign", "the": "teh", "working": "wokring", "payment": "payemnt",
}
# Reference replies in Pebblewire's voice (``data/voice.py``): an opener by tone, then one of
# two bodies per intent. Slots: {device} (the product, or a fallback), {order} ("order
# ORD-12345" or "your order"), {for_order} (" for order ORD-12345" or ""), {plan} ("your
# Flow 500 plan" or "your service").
REPLY_OPENERS = {
    "angry": ("I'm sorry this has been so frustrating.", "I'm sorry for the trouble."),
    "terse": ("Thanks for your message.", "Thanks for letting us know."),
    "other": ("Thanks for getting in touch.", "Thank you for your message."),
}
REPLY_BODIES = {
    "refund": ("I have asked our billing team to check the refund{for_order}. Any money owed reaches your account within five working days. We will email you when it is sent.",
               "Our billing team is now looking at the refund{for_order}. You will hear from us within two working days. Any money owed goes back to your card."),
    "double_charge": ("I can see why a second charge is worrying. Our billing team will check your payments today. Any extra charge is refunded within five working days.",
                      "We will look at both payments today. If one is a duplicate, we refund it in full. You will get an email when it is done."),
    "payment_failed": ("Your service stays on while we sort this out. Our billing team will check the payment today. We will email you a safe link to pay if it is still needed.",
                       "Please don't worry about late fees while we check this. Our billing team will look at the failed payment today. We will email you the next step."),
    "invoice_question": ("Good question. I have asked our billing team to go through your bill line by line. You will get a clear breakdown by email within two working days.",
                         "We will check your latest bill and explain every charge on it. Expect an email from our billing team within two working days."),
    "no_connection": ("I'm sorry you are offline. Please restart {device} and wait two minutes. If the light stays red, reply here and we will send an engineer.",
                      "We are checking the line to your home now. A restart of {device} often helps. If it does not, we will book an engineer visit for you."),
    "slow_speed": ("Slow speeds are no fun. We will run a test on your line today. Please try a speed test with a cable and send us the result.",
                   "We will test your line from our side today. Moving {device} to a central spot can help too. We will email you what we find."),
    "device_fault": ("Thanks for telling us about {device}. Please hold its reset button for ten seconds. If that does not fix it, we will send a new one.",
                     "We want {device} working again fast. Our device team will check it today. If it is faulty, we will replace it for free."),
    "setup_help": ("Happy to help you set up {device}. Open the Pebblewire app and tap Add device. The app takes you through each step in a few minutes.",
                   "Setting up {device} takes about five minutes. Our step by step guide is in the Pebblewire app. Reply here if you get stuck on any step."),
    "track_order": ("I have checked {order} with our courier. You will get a tracking link by email today. Most orders arrive within three working days.",
                    "We are chasing {order} with the courier now. We will email you a delivery date today, and you can track it in the app."),
    "damaged_item": ("I'm sorry {order} arrived damaged. We will send a new one today at no cost. A free return label for the damaged one is on its way by email.",
                     "That is not how your order should arrive. We will ship a new one today. You can send the damaged item back with the free label we email you."),
    "wrong_item": ("I'm sorry we sent the wrong item. We will ship the right one today. A free return label for the wrong item will follow by email.",
                   "We will put {order} right today. The correct item ships now, and we will email you a free return label."),
    "return_item": ("Returns are easy. We will email you a free return label for {order} today. Your refund starts as soon as the item reaches us.",
                    "You can return {order} within thirty days. A free label is on its way by email. We refund you once the item arrives."),
    "login_problem": ("Let's get you back in. Please use Forgot password on the sign in page. If the email does not arrive, reply here and we will reset it for you.",
                      "We will help you sign in again. We have sent a reset link to your account email. The link works for one hour."),
    "update_details": ("Thanks for keeping your details up to date. We have noted the change on your account. You will get an email to confirm it today.",
                       "We can change that for you. Please confirm the new details in the email we send today. The change takes effect right away."),
    "security_concern": ("Thank you for telling us so quickly. We have locked your account to keep it safe. Our security team will call you today to set a new password.",
                         "Your safety comes first. We have paused all changes to your account. Our security team will contact you within the hour."),
    "cancel_service": ("We are sorry to see you go. We have started closing {plan}. You will get an email with your final bill and the date your service ends.",
                       "Your request to cancel {plan} is with our team. We will confirm the end date and your final bill by email within two working days."),
    "cancel_order": ("No problem. We have cancelled {order} before it ships. Your money goes back to your card within five working days.",
                     "We have stopped {order}. You will not be charged, and you will get an email to confirm the cancellation today."),
    "feature_request": ("Thank you for the idea. I have passed it to our product team. They read every suggestion, and we share news in the app.",
                        "We love hearing ideas like this. Your suggestion is now with our product team. Keep an eye on the app for updates."),
}
# fmt: on


class Filler:
    """Fills one template: chooses slot values and records the gold fields they imply."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.gold: dict[str, str | None] = {"order_id": None, "product": None, "plan": None}
        self.values: dict[str, str] = {}
        self.protect: list[str] = []  # exact strings typing noise must not touch

    def plan(self, fixed: str | None = None) -> str:
        if self.gold["plan"] is None:
            if fixed is not None:
                self.gold["plan"] = fixed
            else:
                self.gold["plan"] = self.rng.choices(
                    list(PLAN_WEIGHTS), weights=list(PLAN_WEIGHTS.values())
                )[0]
        plan = self.gold["plan"]
        written = plan.lower() if self.rng.random() < 0.12 else plan
        self.protect.append(written)
        return written

    def product(self, family: str) -> str:
        if self.gold["product"] is None:
            self.gold["product"] = self.rng.choice(PRODUCT_FAMILIES[family])
        canon = self.gold["product"]
        r = self.rng.random()
        if r < 0.12:
            written = self.rng.choice(PRODUCT_SPELLINGS[canon][:2])
        elif r < 0.22:
            written = PRODUCT_SPELLINGS[canon][2]
        else:
            written = canon
        self.protect.append(written)
        return written

    def order(self) -> str:
        if self.gold["order_id"] is None:
            self.gold["order_id"] = f"ORD-{self.rng.randint(10000, 99999)}"
        digits = self.gold["order_id"][4:]
        written = self.rng.choices(
            [f"ORD-{digits}", f"ord-{digits}", f"#{digits}", f"ORD{digits}"],
            weights=[80, 6, 8, 6],
        )[0]
        self.protect.append(written)
        return written

    def amount(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return f"${self.rng.choice([39, 59, 79, 129, 45, 60, 25, 99, 150])}"
        return f"${self.rng.uniform(8, 260):.2f}"

    def fill(self, text: str, name: str | None, email: str | None) -> str:
        rng = self.rng

        def repl(m: re.Match[str]) -> str:
            slot = m.group(1)
            if slot in PRODUCT_FAMILIES:
                return self.product(slot)
            if slot == "plan":
                return self.plan()
            if slot == "bizplan":
                return self.plan(BUSINESS_PLAN)
            if slot == "price":
                if self.gold["plan"] is None:
                    self.plan()
                return f"${PLAN_PRICE[self.gold['plan']]}"
            if slot == "order":
                return self.order()
            if slot == "amount":
                return self.values.setdefault("amount", self.amount())
            if slot == "amount2":  # a second, larger amount
                base = float(self.values.get("amount", "$40").lstrip("$"))
                return f"${base + rng.uniform(6, 90):.2f}"
            if slot == "date":
                d = rng.randint(1, 28)
                suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(d, "th")
                return rng.choice(
                    [f"{rng.choice(MONTHS)} {d}", f"the {d}{suffix}", f"{d}/{rng.randint(1, 12)}"]
                )
            if slot == "month":
                return rng.choice(MONTHS)
            if slot == "days":
                d = rng.randint(2, 8)
                return NUMBER_WORDS[d] if rng.random() < 0.5 else str(d)
            if slot == "days2":
                return str(rng.randint(9, 21))
            if slot == "hours":
                return str(rng.randint(2, 9))
            if slot == "speed":
                return str(rng.choice([3, 5, 8, 12, 15, 20, 25, 40, 60, 80]))
            if slot == "last4":
                return f"{rng.randint(0, 9999):04d}"
            if slot == "n":
                return self.values.setdefault("n", str(rng.randint(2, 9)))
            if slot == "n2":  # a different count
                return str(rng.choice([k for k in range(1, 10) if str(k) != self.values.get("n")]))
            if slot == "years":
                return str(rng.randint(2, 14))
            if slot == "city":
                return self.values.setdefault("city", rng.choice(CITIES))
            if slot == "city2":
                return rng.choice([c for c in CITIES if c != self.values.get("city")])
            if slot == "courier":
                return self.values.setdefault("courier", rng.choice(COURIERS))
            if slot == "time":
                return rng.choice(TIMES)
            if slot == "name":
                assert name is not None
                return name
            if slot == "email":
                assert email is not None
                return email
            raise KeyError(slot)

        return re.sub(r"\{(\w+)\}", repl, text)


def make_person(rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    style = rng.randrange(4)
    handle = re.sub(r"[^a-z]", "", last.lower())
    local = [
        f"{first.lower()}.{handle}",
        f"{first[0].lower()}{handle}{rng.randint(1, 99)}",
        f"{first.lower()}{rng.randint(70, 99)}",
        f"{handle}.{first.lower()}",
    ][style]
    return first, f"{first} {last}", f"{local}@{rng.choice(DOMAINS)}"


def add_typos(text: str, rng: random.Random, protect: list[str], strength: int) -> str:
    """Misspell a few words (never inside a protected string)."""
    holders = {}
    for i, p in enumerate(sorted(set(protect), key=len, reverse=True)):
        key = f"\x00{i}\x00"
        holders[key] = p
        text = text.replace(p, key)
    words = re.split(r"(\s+)", text)
    idx = [i for i, w in enumerate(words) if re.fullmatch(r"[A-Za-z']{3,}[.,!?]?", w)]
    rng.shuffle(idx)
    for i in idx[:strength]:
        w = words[i]
        core, punct = (w[:-1], w[-1]) if w[-1] in ".,!?" else (w, "")
        low = core.lower()
        if low in MISSPELL and rng.random() < 0.7:
            new = MISSPELL[low]
        elif len(core) >= 5:
            j = rng.randrange(1, len(core) - 2)
            op = rng.randrange(3)
            if op == 0:  # swap two letters
                new = core[:j] + core[j + 1] + core[j] + core[j + 2 :]
            elif op == 1:  # drop a letter
                new = core[:j] + core[j + 1 :]
            else:  # double a letter
                new = core[: j + 1] + core[j] + core[j + 1 :]
        else:
            continue
        words[i] = new + punct
    text = "".join(words)
    for key, p in holders.items():
        text = text.replace(key, p)
    return text


def shift(priority: str, steps: int) -> str:
    i = max(0, min(len(PRIORITIES) - 1, PRIORITIES.index(priority) + steps))
    return PRIORITIES[i]


BASE_PRIORITY = {
    "refund": "medium", "double_charge": "high", "payment_failed": "medium",
    "invoice_question": "low", "no_connection": "high", "slow_speed": "medium",
    "device_fault": "medium", "setup_help": "low", "track_order": "low",
    "damaged_item": "medium", "wrong_item": "medium", "return_item": "low",
    "login_problem": "medium", "update_details": "low", "security_concern": "urgent",
    "cancel_service": "medium", "cancel_order": "high", "feature_request": "low",
}  # fmt: skip


def make_ticket(category: str, tpl: T, rng: random.Random) -> dict:
    f = Filler(rng)
    first, full, email = make_person(rng)
    tone = rng.choices(
        ["polite", "neutral", "angry", "terse", "rambling"], weights=[34, 26, 15, 15, 10]
    )[0]
    if tpl.text.islower() and tone in ("polite", "rambling"):
        tone = "neutral"  # keep the deliberately sloppy one-liners sloppy
    needs_name = "{name}" in tpl.text
    needs_email = "{email}" in tpl.text
    show_name = needs_name or (tone != "terse" and rng.random() < 0.45)
    written_name = full if needs_name or rng.random() < 0.55 else first
    show_email = needs_email or (tone != "terse" and rng.random() < 0.22)
    body = f.fill(tpl.text, written_name, email)

    parts: list[str] = []  # sentences / lines, joined later
    head: list[str] = []
    tail: list[str] = []
    if tone in ("polite", "rambling", "neutral") and rng.random() < (
        0.75 if tone != "neutral" else 0.3
    ):
        head.append(rng.choice(GREETINGS))
    if show_name and not needs_name and rng.random() < 0.35:
        head.append(
            rng.choice(
                [f"This is {written_name}.", f"{written_name} here.", f"My name is {written_name}."]
            )
        )
        name_in_head = True
    else:
        name_in_head = False
    if tone == "polite" and rng.random() < 0.4:
        head.append(rng.choice(POLITE_OPENERS))
    if tone == "angry" and rng.random() < 0.7:
        head.append(rng.choice(ANGRY_OPENERS))
    if tone == "rambling":
        chosen = rng.sample(RAMBLE_BEFORE, rng.randint(1, 2))
        chosen.sort(key=lambda s: not s.startswith("So,"))  # "So, bit of a long story." first
        head.extend(f.fill(s, None, None) for s in chosen)

    parts.append(body)

    # extra context: a plan remark
    p_plan = {"billing": 0.4, "technical": 0.35, "cancellation": 0.4}.get(category, 0.15)
    if f.gold["plan"] is None and tone != "terse" and rng.random() < p_plan:
        parts.append(f.fill(rng.choice(PLAN_REMARKS), None, None))
    # technical tickets about connectivity sometimes name the router
    if (
        category == "technical"
        and f.gold["product"] is None
        and tpl.intent in ("no_connection", "slow_speed")
        and tone != "terse"
        and rng.random() < 0.3
    ):
        parts.append(
            rng.choice(["I have the {net}.", "(Router is a {net}.)", "Using your {net}."]).format(
                net=f.product("net")
            )
        )

    priority = tpl.prio or BASE_PRIORITY[tpl.intent]
    hard = tpl.hard is not None
    if tone != "terse" and rng.random() < 0.16 and category != "feature":
        pool = URGENT_ANY + URGENT_BY_INTENT.get(tpl.intent, ())
        parts.append(rng.choice(pool))
        priority = shift(priority, 1)
    elif (
        tone in ("polite", "neutral", "rambling")
        and priority in ("low", "medium")
        and tpl.intent not in ("no_connection", "payment_failed", "double_charge", "cancel_order")
        and rng.random() < 0.12
    ):
        parts.append(rng.choice(RELAXED))
        priority = shift(priority, -1)
    if tone == "angry" and rng.random() < 0.5:
        priority = shift(priority, 1)
    if category == "technical" and f.gold["plan"] == BUSINESS_PLAN:
        priority = shift(priority, 1)  # business customers get one level up on outages/faults
    if rng.random() < 0.08:  # labelling noise: agents don't always agree
        priority = shift(priority, rng.choice([-1, 1]))
    if category == "feature":
        priority = "low" if priority == "low" else "medium"
    if tpl.intent == "security_concern" and priority in ("low", "medium"):
        priority = "high"

    if tone != "terse" and rng.random() < 0.07:
        other = rng.choice([c for c in CATEGORIES if c != category])
        parts.insert(rng.randint(0, len(parts)), ASIDES[other])
        hard = True
    if tone == "rambling":
        parts.append(rng.choice(RAMBLE_AFTER))
    if tone == "polite" and rng.random() < 0.7:
        tail.append(rng.choice(POLITE_CLOSERS))
    if tone == "angry" and rng.random() < 0.6:
        tail.append(rng.choice(ANGRY_CLOSERS))

    # signature / contact details
    sig: list[str] = []
    if show_email and not needs_email:
        if rng.random() < 0.5:
            parts.append(
                rng.choice(
                    [
                        f"My account email is {email}.",
                        f"(account: {email})",
                        f"You can reach me at {email}.",
                        f"Login email: {email}",
                    ]
                )
            )
        else:
            sig.append(email)
    if show_name and not needs_name and not name_in_head:
        sig.insert(0, written_name)
    gold_name = written_name if show_name else None
    gold_email = email if show_email else None

    # angry: shouting and extra punctuation
    if tone == "angry":
        parts = [re.sub(r"\.$", rng.choice(["!", "!!", "!!!", "."]), p) for p in parts]
        if rng.random() < 0.35:
            words = parts[0].split(" ")
            k = rng.randrange(len(words))
            if len(words[k]) > 3 and not any(words[k] in p for p in f.protect + [email, full]):
                words[k] = words[k].upper()
            parts[0] = " ".join(words)

    # typing noise in the message itself (never in greetings or protected strings)
    protect = list(f.protect) + [email] + ([written_name] if show_name else [])
    if tone == "terse" or rng.random() < 0.3:
        k = rng.randrange(len(parts))
        parts[k] = add_typos(parts[k], rng, protect, rng.randint(1, 3))
    # parts end like sentences (except the last one of a deliberately sloppy one-liner)
    sloppy = tpl.text.islower()
    parts = [
        p if re.search(r"[.!?)]$", p) or (sloppy and i == len(parts) - 1) else p + "."
        for i, p in enumerate(parts)
    ]

    # layout
    multiline = tone != "terse" and rng.random() < 0.45
    if multiline:
        lines = []
        if head and head[0] in GREETINGS:
            lines.append(head.pop(0))
        lines.append(" ".join(head + parts))
        if tail or sig:
            if sig and rng.random() < 0.6:
                closing = tail + [rng.choice(SIGNOFFS)] if not tail else tail
                lines.append(" ".join(closing))
                lines.append("\n".join(sig))
            else:
                lines.append(" ".join(tail + sig))
        text = "\n".join(lines)
    else:
        chunks = head + parts + tail
        if sig:
            lead = ["- ", "-- ", ""] + ([] if tail else ["Thanks, "])
            chunks.append(rng.choice(lead) + ", ".join(sig))
        text = " ".join(chunks)
    if rng.random() < 0.14 and tone != "terse":
        text = f"Subject: {rng.choice(SUBJECTS[tpl.intent])}\n\n{text}"

    # sloppy typing: all lower case, no final full stop
    if tone == "terse" and rng.random() < 0.5 or rng.random() < 0.06:
        holders = {f"\x00{i}\x00": p for i, p in enumerate(protect)}
        for k, p in holders.items():
            text = text.replace(p, k)
        text = text.lower().rstrip(".")
        for k, p in holders.items():
            text = text.replace(k, p)
    text = re.sub(r"[ \t]+", " ", text).strip()

    rec = {
        "text": text,
        "category": category,
        "priority": priority,
        "intent": tpl.intent,
        "customer_name": gold_name,
        "email": gold_email,
        "order_id": f.gold["order_id"],
        "product": f.gold["product"],
        "plan": f.gold["plan"],
        "hard": hard,
        "tone": tone,
    }
    rec["queue"] = route_queue(category, rec["plan"], rec["product"])
    return rec


def make_reply(rec: dict) -> str:
    """The reference reply to a finished record, in Pebblewire's voice (``data/voice.py``).

    Its choices come from a generator seeded by the ticket's id alone, so adding replies
    leaves every other field of every ticket exactly as it was."""
    rng = random.Random(f"reply:{rec['id']}")
    opener = rng.choice(REPLY_OPENERS.get(rec["tone"], REPLY_OPENERS["other"]))
    order = rec["order_id"]
    fallback = "your router" if rec["category"] == "technical" else "your device"
    slots = {
        "device": f"your {rec['product']}" if rec["product"] else fallback,
        "order": f"order {order}" if order else "your order",
        "for_order": f" for order {order}" if order else "",
        "plan": f"your {rec['plan']} plan" if rec["plan"] else "your service",
    }
    body = rng.choice(REPLY_BODIES[rec["intent"]]).format(**slots)
    return f"{greeting(rec['customer_name'])}\n\n{opener} {body}\n\n{SIGN_OFF}"


def normalize(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder, deterministic)."""
    s = sum(weights.values())
    raw = {k: total * w / s for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: (out[k] - raw[k], k))[: total - sum(out.values())]:
        out[k] += 1
    return out


def split_targets() -> dict[str, dict[str, int]]:
    """Tickets per (category, split): stratified, with exact category and split totals."""
    total = sum(CATEGORY_SIZES.values())
    assert total == sum(SPLIT_SIZES.values())
    out = {c: allocate(n, SPLIT_SIZES) for c, n in CATEGORY_SIZES.items()}
    while True:
        col = {s: sum(out[c][s] for c in out) for s in SPLIT_SIZES}
        over = [s for s in SPLIT_SIZES if col[s] > SPLIT_SIZES[s]]
        under = [s for s in SPLIT_SIZES if col[s] < SPLIT_SIZES[s]]
        if not over:
            return out
        src, dst = over[0], under[0]
        # move one ticket in the category whose share of ``src`` is most above its ideal
        c = max(out, key=lambda c: (out[c][src] - CATEGORY_SIZES[c] * SPLIT_SIZES[src] / total, c))
        out[c][src] -= 1
        out[c][dst] += 1


def assign_templates(
    templates: list[T], targets: dict[str, int], rng: random.Random, tries: int = 3000
) -> dict[str, list[T]]:
    """Deal one category's templates to the splits.

    The number of templates per split follows the split's share of tickets. Among many seeded
    random deals, keep the one that best spreads intents, hard templates and templates that
    change the routing queue (cameras, the business plan) over every split.
    """
    n_tpl = allocate(len(templates), targets)
    total = sum(targets.values())
    share = {sp: n / total for sp, n in targets.items()}

    def strata(t: T) -> list[str]:
        keys = [f"intent:{t.intent}"]
        if t.hard:
            keys.append("hard")
        if "{cam}" in t.text:
            keys.append("cam")
        if "{bizplan}" in t.text:
            keys.append("biz")
        return keys

    names = sorted({k for t in templates for k in strata(t)})
    index = {id(t): [names.index(k) for k in strata(t)] for t in templates}
    counts = [0] * len(names)
    for t in templates:
        for k in index[id(t)]:
            counts[k] += 1
    best, best_score = None, None
    order = list(templates)
    for _ in range(tries):
        rng.shuffle(order)
        deal, start = {}, 0
        for sp in targets:
            deal[sp] = order[start : start + n_tpl[sp]]
            start += n_tpl[sp]
        score = 0.0
        for sp, group in deal.items():
            got = [0] * len(names)
            for t in group:
                for k in index[id(t)]:
                    got[k] += 1
            for k, n in enumerate(counts):
                if n >= len(targets) and got[k] == 0:
                    score += 10  # a split without any template of this kind
                score += abs(got[k] - n * share[sp])
        if best_score is None or score < best_score:
            best, best_score = {sp: list(g) for sp, g in deal.items()}, score
    assert best is not None
    return best


def generate(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    targets = split_targets()
    records: list[dict] = []
    seen: set[str] = set()
    for category in CATEGORIES:
        deal = assign_templates(list(TEMPLATES[category]), targets[category], rng)
        for split in SPLIT_SIZES:
            group = deal[split]
            for i in range(targets[category][split]):
                tpl = group[i % len(group)]
                for _attempt in range(50):
                    rec = make_ticket(category, tpl, rng)
                    key = normalize(rec["text"])
                    if key not in seen:
                        break
                else:
                    raise RuntimeError(f"could not make a unique ticket from {tpl.text!r}")
                seen.add(key)
                rec["split"] = split
                records.append(rec)
    # shuffle within each split, then number
    out: list[dict] = []
    for split in SPLIT_SIZES:
        part = [r for r in records if r["split"] == split]
        rng.shuffle(part)
        out.extend(part)
    keys = ("id", "split", "text", "category", "priority", "queue", "intent") + (
        "customer_name",
        "email",
        "order_id",
        "product",
        "plan",
        "hard",
        "tone",
    )
    final = []
    for i, r in enumerate(out, 1):
        r["id"] = f"t{i:04d}"
        final.append({k: r[k] for k in keys})
        final[-1]["reply"] = make_reply(final[-1])  # added last: the fields above stay as they were
    return final


def to_jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def distribution_markdown(records: list[dict]) -> str:
    """Markdown tables of label counts per split (for DATA_CARD.md)."""
    splits = list(SPLIT_SIZES)
    out = []
    for field, labels in (
        ("category", CATEGORIES),
        ("priority", PRIORITIES),
        ("queue", QUEUES),
        ("intent", tuple(i for c in CATEGORIES for i in INTENTS_BY_CATEGORY[c])),
    ):
        counts = {s: Counter(r[field] for r in records if r["split"] == s) for s in splits}
        out.append(f"| {field} | " + " | ".join(splits) + " | all |")
        out.append("|---|" + "---:|" * (len(splits) + 1))
        for label in labels:
            row = [counts[s][label] for s in splits]
            out.append(f"| {label} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        row = [sum(counts[s].values()) for s in splits]
        out.append("| **total** | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        out.append("")
    hard = [sum(1 for r in records if r["split"] == s and r["hard"]) for s in splits]
    out.append(
        f"Tickets flagged `hard`: {', '.join(f'{s} {h}' for s, h in zip(splits, hard, strict=True))}."
    )
    return "\n".join(out)


START, END = "<!-- label-tables:start -->", "<!-- label-tables:end -->"


def card_with_tables(card: str, records: list[dict]) -> str:
    head, rest = card.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{distribution_markdown(records)}\n{END}{tail}"


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--check", action="store_true", help="only check the committed files are current"
    )
    args = ap.parse_args()
    records = generate()
    data = to_jsonl(records)
    card = CARD.read_text(encoding="utf-8") if CARD.exists() else f"{START}\n{END}\n"
    new_card = card_with_tables(card, records)
    if args.check:
        ok = OUT.exists() and OUT.read_text(encoding="utf-8") == data and card == new_card
        print("tickets are up to date" if ok else "tickets.jsonl or DATA_CARD.md is stale")
        return 0 if ok else 1
    OUT.write_text(data, encoding="utf-8")
    CARD.write_text(new_card, encoding="utf-8")
    print(f"wrote {len(records)} tickets to {OUT.relative_to(ROOT)}")
    print(distribution_markdown(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
