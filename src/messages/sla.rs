//! The sla messages, in English and Simplified Chinese.

use crate::vocabulary::Locale;
use crate::zone::Tz;
use chrono::DateTime;
use std::sync::Arc;

use super::format_datetime;

/// What a sla reason says, with the values its words need.
#[derive(Debug, Clone, PartialEq)]
pub enum Says {
    /// `PRIORITY_CLASSIFIED`: the complaint matrix gave the case its priority.
    PriorityClassified { priority: Arc<str> },
    /// `SLA_BREACHED`: a stage is past due and not done.
    Breached { stage: Arc<str>, due: DateTime<Tz> },
    /// `ESCALATED`: the escalation level a breach has reached.
    Escalated { level: u32, role: Arc<str> },
    /// `SLA_MET_LATE`: a stage was done after it was due.
    MetLate { stage: Arc<str>, due: DateTime<Tz> },
    /// `SLA_WARNING`: the highest warning threshold a pending stage has crossed.
    Warning { threshold: u32, stage: Arc<str>, due: DateTime<Tz> },
    /// `COMPLAINT_ESCALATED`: a complaint rule escalated the case at once.
    ComplaintEscalated { level: u32, role: Arc<str>, rule: Arc<str> },
    /// `SATISFACTION_RECOVERY`: a low satisfaction result opens a recovery call (and escalates).
    SatisfactionRecovery {
        score: u32,
        scale: u32,
        stage: Arc<str>,
        due: DateTime<Tz>,
        escalated: Option<(u32, Arc<str>)>,
    },
    /// `COMPLAINT_REPEAT`: the same customer complained on the same subject within `days` days.
    ComplaintRepeat { from: Arc<str>, to: Arc<str>, days: u32 },
    /// `COMPLAINT_REOPENED`: the complaint was reopened within `days` days of its closing.
    ComplaintReopened { from: Arc<str>, to: Arc<str>, days: u32 },
    /// `REGULATOR_CHANNEL`: a complaint through a regulator's channel gets its priority.
    RegulatorChannel { channel: Arc<str>, priority: Arc<str> },
    /// `RESPONSIBILITY`: who is responsible for a complaint, and the rule that said so.
    Responsibility { party: &'static str, rule: Arc<str> },
}

impl Says {
    /// The words in `locale`.
    pub fn render(&self, locale: Locale) -> String {
        match self {
            Says::PriorityClassified { priority: p } => locale.pick_with(
                || format!("Classified as priority {p} by its category and severity."),
                || format!("按投诉类型和严重程度定为{p}优先级。"),
            ),
            Says::Breached { stage, due } => {
                let (stage, due) = (stage_label(stage, locale), format_datetime(locale, due));
                locale.pick_with(
                    || format!("The {stage} target was due {due} and is overdue."),
                    || format!("{stage}时限为{due}，已超时。"),
                )
            }
            Says::Escalated { level, role } => locale.pick_with(
                || format!("Escalated to level {level} ({role})."),
                || format!("已升级至第{level}级（{}）。", role_zh(role)),
            ),
            Says::MetLate { stage, due } => {
                let (stage, due) = (stage_label(stage, locale), format_datetime(locale, due));
                locale.pick_with(
                    || format!("The {stage} target was met after it was due ({due})."),
                    || format!("{stage}已完成，但晚于时限（{due}）。"),
                )
            }
            Says::Warning { threshold: w, stage, due } => {
                let (stage, due) = (stage_label(stage, locale), format_datetime(locale, due));
                locale.pick_with(
                    || format!("{w}% of the {stage} time is used; due {due}."),
                    || format!("{stage}时限已用{w}%，截止{due}。"),
                )
            }
            Says::ComplaintEscalated { level, role, rule: id } => locale.pick_with(
                || format!("A serious complaint: escalated to level {level} ({role}) at once (rule {id})."),
                || format!("严重投诉，立即升级至第{level}级（{}）（规则 {id}）。", role_zh(role)),
            ),
            Says::SatisfactionRecovery { score, scale, stage, due, escalated } => {
                let (stage, due) = (stage_label(stage, locale), format_datetime(locale, due));
                let (en, zh) = escalated.as_ref().map_or_else(Default::default, |(level, role)| {
                    (
                        format!("; escalated to level {level} ({role})"),
                        format!("，并升级至第{level}级（{}）", role_zh(role)),
                    )
                });
                locale.pick_with(
                    || format!("A low satisfaction score ({score} of {scale}): the {stage} is due {due}{en}."),
                    || format!("满意度评分偏低（{score}分，满分{scale}分）：{stage}须在{due}前完成{zh}。"),
                )
            }
            Says::ComplaintRepeat { from, to, days } => locale.pick_with(
                || {
                    format!(
                        "The same customer complained on the same subject within {days} days: {}.",
                        raise_en(from, to)
                    )
                },
                || format!("同一客户{days}天内就同一事项再次投诉：{}。", raise_zh(from, to)),
            ),
            Says::ComplaintReopened { from, to, days } => locale.pick_with(
                || format!("The complaint was reopened within {days} days of its closing: {}.", raise_en(from, to)),
                || format!("投诉关闭后{days}天内重新打开：{}。", raise_zh(from, to)),
            ),
            Says::RegulatorChannel { channel, priority: p } => locale.pick_with(
                || format!("A complaint through the regulator channel {channel}: priority {p}."),
                || format!("经监管渠道（{channel}）转来的投诉：定为{p}优先级。"),
            ),
            Says::Responsibility { party, rule } => locale.pick_with(
                || format!("Responsible: the {party} (rule {rule})."),
                || format!("责任方：{}（规则 {rule}）。", party_zh(party)),
            ),
        }
    }
}

/// A raised priority in words: `from` → `to`, or kept when it was already the highest.
fn raise_en(from: &str, to: &str) -> String {
    if from == to {
        format!("priority {to} kept, already the highest")
    } else {
        format!("priority raised from {from} to {to}")
    }
}

fn raise_zh(from: &str, to: &str) -> String {
    if from == to {
        format!("已是最高优先级{to}")
    } else {
        format!("优先级由{from}升为{to}")
    }
}

/// A responsible party in Chinese.
fn party_zh(party: &str) -> &str {
    match party {
        "merchant" => "商家",
        "carrier" => "承运商",
        "customer" => "消费者",
        other => other,
    }
}

/// An escalation role in Chinese (an unknown role as it is written).
fn role_zh(role: &str) -> &str {
    match role {
        "supervisor" => "主管",
        "manager" => "经理",
        "director" => "总监",
        other => other,
    }
}

/// A stage's name in words: `first_response` → `first response` / `首次响应` (an unknown stage
/// in Chinese as it is written).
fn stage_label(stage: &str, locale: Locale) -> String {
    let zh = match stage {
        "first_response" => "首次响应",
        "registration" => "登记与初判",
        "solution" => "给出方案",
        "resolution" => "问题解决",
        "follow_up" => "满意度回访",
        "refund_review" => "退款审核",
        "refund_payout" => "退款到账",
        "repair" => "维修完成",
        "return_complete" => "退货完成",
        "recovery_call" => "不满意回访",
        _ => stage,
    };
    locale.pick(stage.replace('_', " "), zh.to_string())
}

variants!(
    PriorityClassified,
    Breached,
    Escalated,
    MetLate,
    Warning,
    ComplaintEscalated,
    SatisfactionRecovery,
    ComplaintRepeat,
    ComplaintReopened,
    RegulatorChannel,
    Responsibility,
);

/// For tests and docs: a sample of every variant, with the code it is given with (see
/// [`super::samples`]); none when the sample zone cannot be read.
pub fn samples() -> Vec<(&'static str, Says)> {
    let (Some(due), Some(registered)) =
        (super::sample_time(2026, 11, 23, 10, 0), super::sample_time(2026, 11, 20, 19, 0))
    else {
        return Vec::new();
    };
    vec![
        ("PRIORITY_CLASSIFIED", Says::PriorityClassified { priority: "urgent".into() }),
        ("SLA_BREACHED", Says::Breached { stage: "first_response".into(), due }),
        ("ESCALATED", Says::Escalated { level: 1, role: "supervisor".into() }),
        ("SLA_MET_LATE", Says::MetLate { stage: "registration".into(), due: registered }),
        ("SLA_WARNING", Says::Warning { threshold: 75, stage: "refund_review".into(), due }),
        (
            "COMPLAINT_ESCALATED",
            Says::ComplaintEscalated { level: 2, role: "manager".into(), rule: "serious-complaint".into() },
        ),
        (
            "SATISFACTION_RECOVERY",
            Says::SatisfactionRecovery {
                score: 2,
                scale: 5,
                stage: "recovery_call".into(),
                due,
                escalated: Some((1, "supervisor".into())),
            },
        ),
        ("COMPLAINT_REPEAT", Says::ComplaintRepeat { from: "P3".into(), to: "P2".into(), days: 30 }),
        ("COMPLAINT_REOPENED", Says::ComplaintReopened { from: "P2".into(), to: "P1".into(), days: 30 }),
        ("REGULATOR_CHANNEL", Says::RegulatorChannel { channel: "12315".into(), priority: "P1".into() }),
        ("RESPONSIBILITY", Says::Responsibility { party: "carrier", rule: "delivery-carrier".into() }),
    ]
}
