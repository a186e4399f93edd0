package command

var stringCommands = []Spec{}
